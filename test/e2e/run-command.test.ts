/**
 * `agents-mcp run` as a user meets it: the built CLI over plain pipes, the real SDK inside it
 * talking to the fake Messages API.
 */
import { spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { hang, reply, text, toolUse } from '../fake-anthropic/steps.js';
import { CLI, REPO_ROOT } from '../helpers/stdio-server.js';
import { parseCacheEnv } from '../helpers/parse-cache-dir.js';

const KEY = 'sk-test-run-command-0123';
let fake: FakeAnthropic;
let workspace: string;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  workspace = realpathSync(await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-run-')));
  await writeFile(path.join(workspace, 'notes.txt'), 'alpha\nbeta\n');
});
afterAll(async () => {
  await fake.close();
  await rm(workspace, { recursive: true, force: true });
});

interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Start the CLI; `started` resolves once it is running, `finished` when it exits. */
function startCli(args: string[]): { child: ReturnType<typeof spawn>; finished: Promise<Finished> } {
  const child = spawn(process.execPath, [CLI, 'run', ...args, '--agents', path.join(REPO_ROOT, 'agents'), '--workspace', workspace], {
    env: { PATH: process.env['PATH'] ?? '', HOME: os.homedir(), NO_COLOR: '1', ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url, ...parseCacheEnv() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const finished = new Promise<Finished>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, finished };
}

describe('agents-mcp run', () => {
  it('shows each turn, each tool call and its outcome, the text, and a summary, in order', async () => {
    fake.script(reply([text('Let me read it.'), toolUse('Read', { file_path: path.join(workspace, 'notes.txt') })]), reply([text('It lists alpha and beta.')], { usage: { input_tokens: 100, output_tokens: 20, cache_read_input_tokens: 80 } }));
    const { code, stdout } = await startCli(['llm-app-engineer', 'What is in notes.txt?']).finished;
    expect(code).toBe(0);
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual([
      'llm-app-engineer · claude-sonnet-5-5',
      '── turn 1',
      'Let me read it.',
      '  → Read notes.txt',
      '  ✓ Read',
      '── turn 2',
      'It lists alpha and beta.',
      expect.stringMatching(/^end_turn · 2 turns · \d+ in \/ \d+ out tokens \(cache: 80 read, 0 written\) · \$\d+\.\d{4} · \d+\.\d s · run [0-9a-f-]{36}$/),
    ]);
    fake.assertComplete();
  });

  it('lets --model win over the agent\'s own model and says so in the header and the summary', async () => {
    fake.script(reply([text('Answered by haiku.')]));
    // python-backend-architect asks for `model: opus`.
    const { code, stdout } = await startCli(['python-backend-architect', 'hi', '--model', 'claude-haiku-5-5']).finished;
    expect(code).toBe(0);
    expect(fake.requests.at(-1)?.body?.model).toBe('claude-haiku-5-5');
    const lines = stdout.split('\n').filter((l) => l.trim() !== '');
    expect(lines[0]).toBe("python-backend-architect · claude-haiku-5-5 (--model, over the agent's opus)");
    expect(lines.at(-1)).toMatch(/^claude-haiku-5-5 \(--model, over the agent's opus\) · end_turn · 1 turn · /);
    fake.assertComplete();
  });

  it('prints one JSON object and nothing else on stdout with --json', async () => {
    fake.script(reply([text('Done.')]));
    const { code, stdout } = await startCli(['llm-app-engineer', 'hi', '--json']).finished;
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toMatchObject({ answer: 'Done.', agent: 'llm-app-engineer', stop_reason: 'end_turn', turns: 1, model: 'claude-sonnet-5-5' });
    expect(Object.keys(result)).toEqual(expect.arrayContaining(['run_id', 'usage', 'cost_usd', 'duration_ms']));
    fake.assertComplete();
  });

  it('ends the run as cancelled on Ctrl-C (SIGINT) and exits 130', async () => {
    fake.script(hang());
    const before = fake.requests.length;
    const { child, finished } = startCli(['llm-app-engineer', 'take your time', '--json']);
    await fake.waitForRequests(before + 1);
    child.kill('SIGINT');
    const { code, stdout } = await finished;
    expect(code).toBe(130);
    expect(JSON.parse(stdout)).toMatchObject({ stop_reason: 'cancelled', turns: 1 });
  });

  it('without a terminal to ask on, a command needing approval is refused and the run goes on', async () => {
    fake.script(reply([toolUse('Bash', { command: 'echo hi' }, 'b1')]), (request) => {
      const last = request.body?.messages.at(-1) as { content: Array<{ type: string; is_error?: boolean; content?: unknown }> };
      const result = last.content.find((b) => b.type === 'tool_result');
      expect(result?.is_error).toBe(true);
      expect(JSON.stringify(result?.content)).toContain('--allow-bash');
      return reply([text('I was not allowed to run it.')]);
    });
    const { code, stdout } = await startCli(['llm-app-engineer', 'run echo', '--json']).finished;
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ answer: 'I was not allowed to run it.', stop_reason: 'end_turn' });
    fake.assertComplete();
  });

  it('runs the command in bypassPermissions mode', async () => {
    fake.script(reply([toolUse('Bash', { command: 'echo hello-from-bash' }, 'b2')]), (request) => {
      const last = request.body?.messages.at(-1) as { content: Array<{ type: string; is_error?: boolean; content?: unknown }> };
      const result = last.content.find((b) => b.type === 'tool_result');
      expect(result?.is_error).toBeFalsy();
      expect(JSON.stringify(result?.content)).toContain('hello-from-bash');
      return reply([text('It printed hello.')]);
    });
    const { code, stdout } = await startCli(['llm-app-engineer', 'run echo', '--json', '--permission-mode', 'bypassPermissions', '--bash-sandbox', 'off']).finished;
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ answer: 'It printed hello.' });
    fake.assertComplete();
  });

  it('names the agents it has when asked for one it does not', async () => {
    const { code, stderr, stdout } = await startCli(['no-such-agent', 'hi']).finished;
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('llm-app-engineer');
  });
});
