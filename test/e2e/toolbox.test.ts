/**
 * Done-when of the toolbox: an agent with `tools: Read, Grep, Glob, Edit, Bash` works end to end in
 * each permission mode — the built server over real stdio, the real MCP client answering
 * elicitation, the real tools on a temporary workspace, the fake Messages API as the model.
 */
import { mkdir, mkdtemp, readFile, realpath, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ElicitRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFakeAnthropic, type FakeAnthropic, type ScriptedRequest } from '../fake-anthropic/server.js';
import { reply, text, toolUse, type Step } from '../fake-anthropic/steps.js';
import { spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';

const API_KEY = 'k-toolbox-e2e-0123456789';
let fake: FakeAnthropic;
let tmp: string;
let agents: string;
let ws: string;
let server: SpawnedServer | undefined;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: API_KEY });
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'toolbox-e2e-')));
  agents = path.join(tmp, 'agents');
  await mkdir(agents);
  await writeFile(
    path.join(agents, 'fixer.md'),
    '---\nname: fixer\ndescription: Fixes code.\ntools: Read, Grep, Glob, Edit, Bash\n---\nYou fix code.\n',
  );
});
afterAll(async () => {
  await fake.close();
  await rm(tmp, { recursive: true, force: true });
});
let n = 0;
beforeEach(async () => {
  ws = path.join(tmp, `ws-${++n}`);
  await mkdir(ws);
  await writeFile(path.join(ws, 'notes.txt'), 'alpha\nbeta\n');
});
afterEach(async () => {
  await server?.close();
  server = undefined;
});

type Block = { type: string; is_error?: boolean; content?: unknown };
const resultsOf = (request: ScriptedRequest): Block[] =>
  (request.body.messages.at(-1) as { content: Block[] }).content.filter((b) => b.type === 'tool_result');
const textOf = (b: Block | undefined): string => JSON.stringify(b?.content ?? '');

/** The model reads, searches and lists, then edits, then runs a command, then answers; `seen` gets every tool result. */
function fixerScript(notes: string, seen: Block[][]): Step[] {
  const record = (next: Step): Step => (request) => {
    seen.push(resultsOf(request));
    return next;
  };
  return [
    reply([toolUse('Read', { file_path: notes }), toolUse('Grep', { pattern: 'beta', output_mode: 'content' }), toolUse('Glob', { pattern: '*.txt' })]),
    record(reply([toolUse('Edit', { file_path: notes, old_string: 'alpha', new_string: 'ALPHA' })])),
    record(reply([toolUse('Bash', { command: 'touch ran.txt && pwd' })])),
    record(reply([text('Fixed.')])),
  ];
}

async function start(mode: string, elicit: boolean): Promise<{ asked: string[] }> {
  const asked: string[] = [];
  server = await spawnStdioServer(
    ['--agents', agents, '--workspace', ws, '--no-watch', '--permission-mode', mode],
    { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url },
    undefined,
    elicit ? { capabilities: { elicitation: { form: {} } } } : undefined,
  );
  if (elicit) {
    server.client.setRequestHandler(ElicitRequestSchema, (request) => {
      asked.push(request.params.message);
      return { action: 'accept', content: { decision: 'approve' } };
    });
  }
  return { asked };
}

const exists = (p: string): Promise<boolean> => stat(p).then(() => true, () => false);

describe('an agent with tools: Read, Grep, Glob, Edit, Bash, over stdio', () => {
  it.each([
    ['default', 2],
    ['acceptEdits', 1],
    ['bypassPermissions', 0],
  ] as const)('%s mode with a client that approves: reads, edits and runs; %i question(s) asked', async (mode, questions) => {
    const { asked } = await start(mode, true);
    const notes = path.join(ws, 'notes.txt');
    const seen: Block[][] = [];
    fake.script(...fixerScript(notes, seen));
    const result = (await server!.client.callTool({ name: 'fixer', arguments: { prompt: 'Fix notes.txt' } })) as CallToolResult;
    expect(result.content).toEqual([{ type: 'text', text: 'Fixed.' }]);
    expect(seen[0]!.map((b) => b.is_error ?? false)).toEqual([false, false, false]);
    expect(textOf(seen[0]![0])).toContain('alpha');
    expect(textOf(seen[0]![1])).toContain('beta');
    expect(textOf(seen[0]![2])).toContain(notes);
    expect(seen[1]![0]?.is_error).toBeUndefined();
    expect(seen[2]![0]?.is_error).toBeUndefined();
    expect(textOf(seen[2]![0])).toContain(ws);
    expect(await readFile(notes, 'utf8')).toBe('ALPHA\nbeta\n');
    expect(await exists(path.join(ws, 'ran.txt'))).toBe(true);
    expect(asked).toHaveLength(questions);
    if (mode === 'default') expect(asked[0]).toContain(notes);
    if (questions > 0) expect(asked.at(-1)).toContain('touch ran.txt && pwd');
    fake.assertComplete();
  });

  it('plan mode offers only the read-only tools and refuses the rest', async () => {
    const { asked } = await start('plan', true);
    const notes = path.join(ws, 'notes.txt');
    const seen: Block[][] = [];
    fake.script(...fixerScript(notes, seen));
    await server!.client.callTool({ name: 'fixer', arguments: { prompt: 'Fix notes.txt' } });
    const offered = (fake.requests.at(-1)?.body?.tools as Array<{ name: string }>).map((t) => t.name);
    expect(offered).toEqual(['Read', 'Glob', 'Grep']);
    expect(seen[0]!.map((b) => b.is_error ?? false)).toEqual([false, false, false]);
    // Withheld by the mode, and the refusal says so (not "not available to this agent").
    expect(textOf(seen[1]![0])).toContain('Edit refused: the server runs in plan mode (--permission-mode plan');
    expect(textOf(seen[2]![0])).toContain('Bash refused: the server runs in plan mode (--permission-mode plan');
    expect(await readFile(notes, 'utf8')).toBe('alpha\nbeta\n');
    expect(await exists(path.join(ws, 'ran.txt'))).toBe(false);
    expect(asked).toEqual([]);
    fake.assertComplete();
  });

  it('default mode with a client that cannot ask: edits and Bash are refused with the flags to use', async () => {
    await start('default', false);
    const notes = path.join(ws, 'notes.txt');
    const seen: Block[][] = [];
    fake.script(...fixerScript(notes, seen));
    await server!.client.callTool({ name: 'fixer', arguments: { prompt: 'Fix notes.txt' } });
    expect(seen[1]![0]?.is_error).toBe(true);
    expect(textOf(seen[1]![0])).toContain('--permission-mode acceptEdits');
    expect(seen[2]![0]?.is_error).toBe(true);
    expect(textOf(seen[2]![0])).toContain("--allow-bash 'touch ran.txt'");
    expect(await readFile(notes, 'utf8')).toBe('alpha\nbeta\n');
    expect(await exists(path.join(ws, 'ran.txt'))).toBe(false);
    fake.assertComplete();
  });
});
