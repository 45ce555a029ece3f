/**
 * Bash, BashOutput and TaskStop against a real shell in a temporary workspace. Process cleanup is
 * checked by process group: `process.kill(-pgid, 0)` must fail with ESRCH once a command is over.
 */
import { execFileSync } from 'node:child_process';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestToolContext, resultText, type TestToolContext } from '../../../test/helpers/tool-context.js';
import { createBashOutputTool, createTaskStopTool } from './background-shell-tools.js';
import { createBashTool } from './bash.js';
import { BASH_SESSION } from './bash-session.js';
import { createChildEnv } from './child-env.js';

let ws: string;
let t: TestToolContext;
const bash = createBashTool({ env: createChildEnv({ ...process.env, ANTHROPIC_API_KEY: 'sk-secret', AGENTS_MCP_AUTH_TOKEN: 'tok' }) });
const bashOutput = createBashOutputTool();
const taskStop = createTaskStopTool();

beforeEach(async () => {
  ws = await realpath(await mkdtemp(path.join(tmpdir(), 'bash-tool-')));
  await mkdir(path.join(ws, 'sub'));
  t = createTestToolContext([ws]);
});
afterEach(async () => {
  await t.end();
  await rm(ws, { recursive: true, force: true });
});

/** True when no process of group `pgid` is left. */
function isGroupGone(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/** The first line a command writes into a FIFO, read as soon as it is written. */
async function readFirstLineFromFifo(fifo: string): Promise<string> {
  const stream = createReadStream(fifo, { encoding: 'utf8' });
  let text = '';
  for await (const chunk of stream) {
    text += chunk as string;
    if (text.includes('\n')) break;
  }
  stream.destroy();
  return text.split('\n')[0]!;
}

const run = (input: Record<string, unknown>, ctx = t.ctx) => bash.run(input, ctx);

describe('Bash', () => {
  it('returns stdout and stderr, and asks permission with the command and cwd', async () => {
    const result = await run({ command: 'echo out; echo err >&2', description: 'print twice' });
    expect(result.isError).toBeUndefined();
    expect(resultText(result)).toBe('out\nerr\n');
    expect(t.requests).toEqual([{ kind: 'bash', tool: 'Bash', command: 'echo out; echo err >&2', cwd: ws, description: 'print twice' }]);
  });

  it('reports a failing exit code as an error the model can read', async () => {
    const result = await run({ command: 'echo partial; exit 3' });
    expect(result.isError).toBe(true);
    expect(resultText(result)).toBe('partial\n\nExit code 3');
  });

  it('keeps the working directory between commands, but never outside the workspace', async () => {
    await run({ command: 'cd sub' });
    expect(resultText(await run({ command: 'pwd' }))).toBe(`${path.join(ws, 'sub')}\n`);
    const out = await run({ command: 'cd /' });
    expect(resultText(out)).toContain(`Shell cwd was reset to ${ws}`);
    expect(resultText(await run({ command: 'pwd' }))).toBe(`${ws}\n`);
  });

  it('resets the directory when it was deleted', async () => {
    await run({ command: 'mkdir gone && cd gone' });
    await rm(path.join(ws, 'gone'), { recursive: true });
    const result = await run({ command: 'pwd' });
    expect(resultText(result)).toBe(`${ws}\n\nShell cwd was reset to ${ws} (the previous directory no longer exists).`);
  });

  it('gives commands an allow-listed environment without API keys or tokens, and no stdin', async () => {
    const result = await run({ command: 'echo "${ANTHROPIC_API_KEY:-no-key} ${AGENTS_MCP_AUTH_TOKEN:-no-token} ${PATH:+has-path}"; cat; echo done' });
    expect(resultText(result)).toBe('no-key no-token has-path\ndone\n');
  });

  it('cuts long output in the middle and says so', async () => {
    const small = createBashTool({ maxOutputChars: 1000 });
    const result = await small.run({ command: 'echo START; for i in $(seq 1 2000); do echo line-$i; done; echo END' }, t.ctx);
    const text = resultText(result);
    expect(text.startsWith('START\n')).toBe(true);
    expect(text.trimEnd().endsWith('END')).toBe(true);
    expect(text).toMatch(/\[… \d+ characters of output cut here: the output was longer than 1000 characters …\]/);
    expect(text.length).toBeLessThan(1200);
  });

  it('kills the whole process group on timeout', async () => {
    const result = await run({ command: 'echo "pgid=$$"; sleep 60 & sleep 60', timeout: 300 });
    const text = resultText(result);
    expect(result.isError).toBe(true);
    expect(text).toContain('Command timed out after 0.3 s and was killed, with every process it started.');
    const pgid = Number(/pgid=(\d+)/.exec(text)?.[1]);
    expect(pgid).toBeGreaterThan(1);
    expect(isGroupGone(pgid)).toBe(true);
  });

  it('kills the whole process group when the run is cancelled', async () => {
    const fifo = path.join(ws, 'pgid.fifo');
    execFileSync('mkfifo', [fifo]);
    const pending = run({ command: `echo $$ > ${fifo}; sleep 60 & sleep 60` });
    const pgid = Number(await readFirstLineFromFifo(fifo));
    expect(isGroupGone(pgid)).toBe(false);
    t.abort();
    const result = await pending;
    expect(resultText(result)).toBe('Bash: cancelled; the command and every process it started were killed.');
    expect(isGroupGone(pgid)).toBe(true);
  });

  it('stops what a finished command left running in the background', async () => {
    const result = await run({ command: 'echo "pgid=$$"; sleep 60 &' });
    const pgid = Number(/pgid=(\d+)/.exec(resultText(result))?.[1]);
    expect(result.isError).toBeUndefined();
    expect(isGroupGone(pgid)).toBe(true);
  });

  it('runs nothing when permission is refused', async () => {
    const denied = createTestToolContext([ws], async () => ({ allowed: false, message: 'Bash needs approval: nobody to ask.' }));
    const result = await bash.run({ command: 'touch made.txt' }, denied.ctx);
    expect(result).toEqual({ content: [{ type: 'text', text: 'Bash needs approval: nobody to ask.' }], isError: true });
    await expect(stat(path.join(ws, 'made.txt'))).rejects.toThrow(/ENOENT/);
    await denied.end();
  });

  it('rejects a timeout above the maximum and a missing command', async () => {
    expect(resultText(await run({ command: 'true', timeout: 700_000 }))).toBe('Bash: timeout: must be at most 600000, got 700000');
    expect(resultText(await run({}))).toBe('Bash: command: required (expected string)');
  });
});

describe('background shells', () => {
  it('runs in the background; BashOutput returns only new output, filtered when asked', async () => {
    const started = await run({ command: 'echo alpha; echo beta; echo alphabet', run_in_background: true });
    expect(resultText(started)).toContain('Command running in background with ID: bash_1');
    const shell = t.scope.get(BASH_SESSION).shells.get('bash_1')!;
    await shell.process.finished;
    const first = await bashOutput.run({ bash_id: 'bash_1', filter: '^alpha' }, t.ctx);
    expect(resultText(first)).toBe('<status>completed (exit code 0)</status>\n<output>\nalpha\nalphabet\n</output>');
    const second = await bashOutput.run({ bash_id: 'bash_1' }, t.ctx);
    expect(resultText(second)).toBe('<status>completed (exit code 0)</status>\n<output>(no new output)</output>');
  });

  it('TaskStop kills a background shell and its process group', async () => {
    await run({ command: 'sleep 60 & sleep 60', run_in_background: true });
    const shell = t.scope.get(BASH_SESSION).shells.get('bash_1')!;
    expect(isGroupGone(shell.process.pgid)).toBe(false);
    const stopped = await taskStop.run({ task_id: 'bash_1' }, t.ctx);
    expect(resultText(stopped)).toBe('Successfully killed shell: bash_1 (sleep 60 & sleep 60)');
    expect(isGroupGone(shell.process.pgid)).toBe(true);
    expect(resultText(await bashOutput.run({ bash_id: 'bash_1' }, t.ctx))).toContain('<status>killed</status>');
    expect(resultText(await taskStop.run({ shell_id: 'bash_1' }, t.ctx))).toBe('TaskStop: shell bash_1 is not running (killed).');
  });

  it('the end of the run kills every background shell it left', async () => {
    await run({ command: 'sleep 60', run_in_background: true });
    await run({ command: 'sleep 60 & wait', run_in_background: true });
    const shells = [...t.scope.get(BASH_SESSION).shells.values()];
    expect(shells.map((s) => isGroupGone(s.process.pgid))).toEqual([false, false]);
    await t.end();
    expect(shells.map((s) => isGroupGone(s.process.pgid))).toEqual([true, true]);
  });

  it('names the shells that exist when asked for an unknown one, and checks the filter', async () => {
    await run({ command: 'true', run_in_background: true });
    expect(resultText(await bashOutput.run({ bash_id: 'bash_9' }, t.ctx))).toBe('BashOutput: no background shell "bash_9" in this task. Shells: bash_1.');
    expect(resultText(await bashOutput.run({ bash_id: 'bash_1', filter: '(' }, t.ctx))).toMatch(/^BashOutput: filter is not a valid regular expression/);
    expect(resultText(await taskStop.run({}, t.ctx))).toBe('TaskStop: give task_id, the ID Bash returned for the background shell.');
  });

  it('writes files in the working directory it was started from', async () => {
    await run({ command: 'cd sub' });
    await run({ command: 'echo hi > here.txt', run_in_background: true });
    await t.scope.get(BASH_SESSION).shells.get('bash_1')!.process.finished;
    expect(await readFile(path.join(ws, 'sub', 'here.txt'), 'utf8')).toBe('hi\n');
  });
});
