/**
 * Long runs over real stdio: the built server, the real MCP client, the real Anthropic SDK in
 * the server talking to the fake Messages API with latency. The done-when scenario of issue 5,
 * scaled down: a run several times longer than the client's timeout stays alive on progress,
 * shows its steps, can be cancelled, and its transcript and cost can be read afterwards.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CallToolResultSchema, LoggingMessageNotificationSchema, type CallToolResult, type Progress } from '@modelcontextprotocol/sdk/types.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { httpError, reply, slowStream, streamCut, text, toolUse } from '../fake-anthropic/steps.js';
import { REPO_ROOT, spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';

const BUNDLED = path.join(REPO_ROOT, 'agents');
const AGENT = 'llm-app-engineer';
const CLIENT_TIMEOUT_MS = 1000;

let fake: FakeAnthropic;
let workspace: string;
let runsDir: string;
let server: SpawnedServer;
type LogData = { event: string; run_id: string; agent: string; stop_reason?: string };
const logWaiters: Array<{ match: (d: LogData) => boolean; resolve: (d: LogData) => void }> = [];

function nextLog(match: (d: LogData) => boolean): Promise<LogData> {
  return new Promise((resolve) => logWaiters.push({ match, resolve }));
}
function textOf(content: object | undefined): string {
  return content && 'text' in content && typeof content.text === 'string' ? content.text : '';
}

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: 'test-key-long-runs-0123' });
  workspace = realpathSync(await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-long-')));
  runsDir = path.join(workspace, '.runs');
  await writeFile(path.join(workspace, 'notes.txt'), 'alpha\nbeta\ngamma\n');
  server = await spawnStdioServer(
    ['--agents', BUNDLED, '--workspace', workspace, '--no-watch', '--progress-interval', '0.2', '--runs-dir', runsDir],
    { ANTHROPIC_API_KEY: 'test-key-long-runs-0123', ANTHROPIC_BASE_URL: fake.url },
  );
  server.client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    const data = n.params.data as LogData;
    for (const w of logWaiters.filter((w) => w.match(data))) {
      logWaiters.splice(logWaiters.indexOf(w), 1);
      w.resolve(data);
    }
  });
  await server.client.setLoggingLevel('info');
});
afterEach(() => {
  fake.assertComplete();
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
  await rm(workspace, { recursive: true, force: true });
});

describe('a long run (done-when scenario, scaled down)', () => {
  let runId: string;

  it('stays alive past the client timeout on progress and shows its steps', async () => {
    const notes = path.join(workspace, 'notes.txt');
    // ~1.5 s of tool-call streaming, then ~1.5 s of answer: three times the client's timeout.
    fake.script(
      slowStream(reply([text('Reading the notes.'), toolUse('Read', { file_path: notes })], { usage: { input_tokens: 2000, output_tokens: 60 } }), { chunkDelayMs: 100 }),
      slowStream(reply([text('The notes list alpha, beta and gamma, one per line. '.repeat(4))], { usage: { input_tokens: 2100, output_tokens: 50 } }), { chunkDelayMs: 50 }),
    );
    const updates: Progress[] = [];
    const result = (await server.client.callTool({ name: AGENT, arguments: { prompt: 'Summarize notes.txt' } }, undefined, {
      timeout: CLIENT_TIMEOUT_MS,
      resetTimeoutOnProgress: true,
      onprogress: (p) => updates.push(p),
    })) as CallToolResult;

    expect(result.isError).toBeFalsy();
    const sc = result.structuredContent as { run_id: string; stop_reason: string; duration_ms: number; cost_usd: number };
    expect(sc.stop_reason).toBe('end_turn');
    expect(sc.duration_ms).toBeGreaterThan(CLIENT_TIMEOUT_MS);
    expect(sc.cost_usd).toBeGreaterThan(0);
    runId = sc.run_id;
    const messages = updates.map((u) => u.message ?? '');
    expect(messages).toEqual(
      expect.arrayContaining([`${AGENT} started on claude-sonnet-5-5`, 'turn 1: waiting for the model', 'Read notes.txt', 'Read done', 'turn 2: waiting for the model']),
    );
    expect(messages.some((m) => m.startsWith('turn 2: writing'))).toBe(true);
    // The tool call's input streams without text: heartbeats carried the client through it.
    expect(messages.some((m) => m.includes('(still working,'))).toBe(true);
  });

  it('has a transcript with its steps and cost, also kept in --runs-dir', async () => {
    const transcript = textOf((await server.client.readResource({ uri: `run://${runId}` })).contents[0]);
    expect(transcript).toContain('Summarize notes.txt');
    expect(transcript).toContain('**Tool call `Read`**');
    expect(transcript).toMatch(/1\talpha\n\s*2\tbeta/);
    expect(transcript).toContain('The notes list alpha, beta and gamma');
    expect(transcript).toContain('4100 input, 110 output');
    expect(transcript).toMatch(/Cost: \$0\.\d+/);
    const file = JSON.parse(await readFile(path.join(runsDir, `${runId}.json`), 'utf8')) as { outcome: { cost_usd: number; stop_reason: string } };
    expect(file.outcome).toMatchObject({ stop_reason: 'end_turn' });
    expect(file.outcome.cost_usd).toBeGreaterThan(0);
  });

  it('can be cancelled: the model request closes, no request follows, and the run reads as cancelled', async () => {
    const before = fake.requests.length;
    fake.script(
      reply([toolUse('LS', { path: workspace })], { usage: { input_tokens: 1500, output_tokens: 20 } }),
      slowStream(reply([text('This answer takes a very long time to write. '.repeat(50))]), { chunkDelayMs: 200 }),
    );
    const controller = new AbortController();
    const ended = nextLog((d) => d.event === 'run ended' && d.stop_reason === 'cancelled');
    const call = server.client.callTool({ name: AGENT, arguments: { prompt: 'List, then write at length' } }, undefined, {
      signal: controller.signal,
      timeout: CLIENT_TIMEOUT_MS,
      resetTimeoutOnProgress: true,
      onprogress: (p) => {
        if (p.message?.startsWith('turn 2: writing')) controller.abort();
      },
    });
    await expect(call).rejects.toThrow();
    expect(await fake.waitForResponseClosed(before + 2)).toEqual({ finished: false });
    const summary = await ended;
    expect(fake.requests).toHaveLength(before + 2);
    const transcript = textOf((await server.client.readResource({ uri: `run://${summary.run_id}` })).contents[0]);
    expect(transcript).toContain('stop_reason: cancelled');
    expect(transcript).toContain('**Tool call `LS`**');
    // Usage so far: turn 1's 1,500 input tokens plus the input of the turn that was cut off.
    const input = Number(/Usage: (\d+) input/.exec(transcript)?.[1]);
    expect(input).toBeGreaterThan(1500);
    const { runs } = JSON.parse(textOf((await server.client.readResource({ uri: 'agents://runs' })).contents[0])) as { runs: Array<{ run_id: string; stop_reason?: string }> };
    expect(runs.find((r) => r.run_id === summary.run_id)?.stop_reason).toBe('cancelled');
  });
});

describe('model failures over stdio', () => {
  it('retries an overloaded API twice, then answers', async () => {
    const overloaded = httpError(529, { type: 'overloaded_error', message: 'Overloaded' }, { retryAfterMs: 1 });
    fake.script(overloaded, overloaded, reply([text('made it')]));
    const result = (await server.client.callTool({ name: AGENT, arguments: { prompt: 'hi' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'made it' }]);
  });

  it('resumes a turn whose stream was cut mid-way', async () => {
    fake.script(streamCut(5, reply([text('This reply is cut short somewhere in the middle.')])), reply([text('second try')]));
    const result = (await server.client.callTool({ name: AGENT, arguments: { prompt: 'hi' } })) as CallToolResult;
    expect(result.content).toEqual([{ type: 'text', text: 'second try' }]);
    expect((result.structuredContent as { turns: number }).turns).toBe(1);
  });

  it('turns a rejected key into a clear isError that says which variable to check', async () => {
    fake.script(httpError(401, { type: 'authentication_error', message: 'invalid x-api-key' }));
    const result = (await server.client.callTool({ name: AGENT, arguments: { prompt: 'hi' } })) as CallToolResult;
    expect(result.isError).toBe(true);
    const message = textOf(result.content[0]);
    expect(message).toContain('401');
    expect(message).toContain('ANTHROPIC_API_KEY');
    expect((result.structuredContent as { stop_reason: string }).stop_reason).toBe('error');
  });

  it('names a lasting rate limit and the wait the API asked for', async () => {
    const limited = httpError(429, { type: 'rate_limit_error', message: 'Too many requests' }, { retryAfterMs: 1, retryAfter: 30 });
    fake.script(limited, limited, limited);
    const result = (await server.client.callTool({ name: AGENT, arguments: { prompt: 'hi' } })) as CallToolResult;
    expect(result.isError).toBe(true);
    const message = textOf(result.content[0]);
    expect(message).toContain('429');
    expect(message).toContain('wait 30 s');
    expect(message).toContain('rate limit');
  });
});

describe('tasks and logs over stdio', () => {
  it('gives a task-aware client a task and its result', async () => {
    await server.client.listTools();
    fake.script(reply([text('done as a task')]));
    const kinds: string[] = [];
    let result: CallToolResult | undefined;
    for await (const message of server.client.experimental.tasks.callToolStream({ name: AGENT, arguments: { prompt: 'task' } }, CallToolResultSchema)) {
      kinds.push(message.type);
      if (message.type === 'result') result = message.result as CallToolResult;
    }
    expect(kinds[0]).toBe('taskCreated');
    expect(result?.content).toEqual([{ type: 'text', text: 'done as a task' }]);
  });

  it('logs every run start and end on stderr with its run_id and agent', () => {
    const lines = server
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { msg: string; run_id?: string; agent?: string; cost_usd?: number });
    const runLines = lines.filter((l) => l.msg === 'run started' || l.msg === 'run ended');
    expect(runLines.length).toBeGreaterThanOrEqual(10);
    for (const line of runLines) {
      expect(line.run_id).toMatch(/^[0-9a-f-]{36}$/);
      expect(line.agent).toBe(AGENT);
    }
    expect(runLines.filter((l) => l.msg === 'run ended').every((l) => typeof l.cost_usd === 'number')).toBe(true);
    expect(server.stderr()).not.toContain('test-key-long-runs-0123');
  });
});
