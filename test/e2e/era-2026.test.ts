/**
 * Done-when of the 2026-07-28 era: a client pinned to 2026-07-28 (the SDK v2 client, and a raw
 * client where the SDK hides the wire) against the built server over stdio and over HTTP —
 * discovery, cached lists, an agent call, an approval as `input_required` (accept edits, decline
 * does not), a tampered requestState refused, the tasks extension (task → input_required →
 * tasks/update → completed), cancellation (closing the request's stream over HTTP,
 * `notifications/cancelled` over stdio, `tasks/cancel`: the run ends cancelled, and its transcript
 * says so) and logs only for a request whose `_meta` names a level. The model is the fake Messages API.
 */
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { StdioClientTransport } from '@modelcontextprotocol/client/stdio';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { hang, reply, text, toolUse } from '../fake-anthropic/steps.js';
import { spawnHttpServer, type HttpServerProcess } from '../helpers/http-server.js';
import { rawHttpClient, rawStdioClient, RawRpcError, TASKS_EXTENSION, type RawClient, type RawNotification } from '../helpers/raw-2026-client.js';
import { CLI } from '../helpers/stdio-server.js';
import { parseCacheEnv } from '../helpers/parse-cache-dir.js';

const API_KEY = 'k-era-2026-0123456789';
let fake: FakeAnthropic;
let tmp: string;
let agents: string;
let ws: string;
let notes: string;
let http: HttpServerProcess;
const LOG_LEVEL = 'io.modelcontextprotocol/logLevel';

const env = (): Record<string, string> => ({ ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url, ...parseCacheEnv() });
const args = (): string[] => ['--agents', agents, '--workspace', ws, '--no-watch', '--permission-mode', 'default'];

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: API_KEY });
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'era-2026-')));
  agents = path.join(tmp, 'agents');
  ws = path.join(tmp, 'ws');
  notes = path.join(ws, 'notes.txt');
  await mkdir(agents);
  await mkdir(ws);
  await writeFile(path.join(agents, 'fixer.md'), '---\nname: fixer\ndescription: Fixes notes.\ntools: Read, Edit\n---\nYou fix notes.\n');
  await writeFile(path.join(agents, 'answerer.md'), '---\nname: answerer\ndescription: Answers questions.\ntools: Read\n---\nYou answer.\n');
  http = await spawnHttpServer(args(), env());
});
afterAll(async () => {
  await http?.stop();
  await fake?.close();
  await rm(tmp, { recursive: true, force: true });
});
beforeEach(async () => {
  await writeFile(notes, 'alpha\nbeta\n');
});

type Transport = 'stdio' | 'http';

/** The SDK v2 client, pinned to 2026-07-28; `decision` answers every approval form it is shown. */
async function pinnedClient(transport: Transport, decision?: string): Promise<{ client: Client; asked: string[] }> {
  const asked: string[] = [];
  const client = new Client(
    { name: 'era-2026-test', version: '0.0.0' },
    { versionNegotiation: { mode: { pin: '2026-07-28' } }, capabilities: decision ? { elicitation: { form: {} } } : {} },
  );
  if (decision) {
    client.setRequestHandler('elicitation/create', (request) => {
      asked.push(request.params.message);
      return decision === 'decline' ? { action: 'decline' } : { action: 'accept', content: { decision } };
    });
  }
  await client.connect(
    transport === 'http'
      ? new StreamableHTTPClientTransport(new URL(http.url))
      : new StdioClientTransport({ command: process.execPath, args: [CLI, ...args()], env: { ...getDefaultEnvironment(), ...env() }, stderr: 'ignore' }),
  );
  return { client, asked };
}

function rawClient(transport: Transport): RawClient {
  return transport === 'http' ? rawHttpClient(http.url) : rawStdioClient(args(), env());
}

const textOf = (result: { content?: unknown }): string => ((result.content as Array<{ text?: string }> | undefined) ?? []).map((c) => c.text ?? '').join('');

/** The model reads notes.txt, edits it (alpha → ALPHA), then answers. */
function scriptEdit(): void {
  fake.script(
    reply([toolUse('Read', { file_path: notes })]),
    reply([toolUse('Edit', { file_path: notes, old_string: 'alpha', new_string: 'ALPHA' })]),
    reply([text('Edited.')]),
  );
}

/** tasks/get until `done` says so, at the poll interval the task asks for. */
async function pollTask(client: RawClient, taskId: string, capabilities: Record<string, unknown>, done: (task: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
  for (;;) {
    const task = await client.request('tasks/get', { taskId }, capabilities);
    if (done(task)) return task;
    await new Promise((resolve) => setTimeout(resolve, Number(task['pollIntervalMs'] ?? 100)));
  }
}

describe.each<Transport>(['stdio', 'http'])('a client pinned to 2026-07-28 over %s', (transport) => {
  it('discovers the server with the tasks extension, lists the agents and gets an answer', async () => {
    const { client } = await pinnedClient(transport);
    try {
      expect(client.getProtocolEra()).toBe('modern');
      expect(client.getServerCapabilities()?.extensions).toHaveProperty([TASKS_EXTENSION]);
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name)).toEqual(['answerer', 'fixer']);
      fake.script(reply([text('Forty-two.')]));
      const result = await client.callTool({ name: 'answerer', arguments: { prompt: 'What is the answer?' } });
      expect(textOf(result)).toBe('Forty-two.');
      expect(result.structuredContent).toMatchObject({ answer: 'Forty-two.', agent: 'answerer' });
      fake.assertComplete();
    } finally {
      await client.close();
    }
  });

  it("reports the run's progress on the request's stream", async () => {
    const { client } = await pinnedClient(transport);
    try {
      fake.script(reply([text('Forty-two.')]));
      const progress: string[] = [];
      const result = await client.callTool({ name: 'answerer', arguments: { prompt: 'What is the answer?' } }, { onprogress: (p) => progress.push(p.message ?? '') });
      expect(textOf(result)).toBe('Forty-two.');
      expect(progress.some((m) => m.includes('answerer'))).toBe(true);
      fake.assertComplete();
    } finally {
      await client.close();
    }
  });

  it('lists tools, resources and prompts with cache hints, in name order', async () => {
    const raw = rawClient(transport);
    try {
      const tools = await raw.request('tools/list');
      expect(tools).toMatchObject({ ttlMs: 3_600_000, cacheScope: 'public', resultType: 'complete' });
      expect((tools['tools'] as Array<{ name: string }>).map((t) => t.name)).toEqual(['answerer', 'fixer']);
      expect(await raw.request('prompts/list')).toMatchObject({ ttlMs: 3_600_000, cacheScope: 'public' });
      expect(await raw.request('resources/read', { uri: 'agent://fixer' })).toMatchObject({ ttlMs: 3_600_000, cacheScope: 'public' });
      const missing = await raw.request('resources/read', { uri: 'agent://nope' }).catch((err: unknown) => err);
      expect(missing).toBeInstanceOf(RawRpcError);
      expect((missing as RawRpcError).code).toBe(-32602);
    } finally {
      await raw.close();
    }
  });

  it.each([
    ['approve', 'ALPHA\nbeta\n'],
    ['decline', 'alpha\nbeta\n'],
  ])('asks for approval as input_required; answering %s leaves the file as %j', async (decision, expected) => {
    const { client, asked } = await pinnedClient(transport, decision);
    try {
      scriptEdit();
      const result = await client.callTool({ name: 'fixer', arguments: { prompt: 'Fix the notes.' } });
      expect(textOf(result)).toBe('Edited.');
      expect(asked).toHaveLength(1);
      expect(asked[0]).toContain(notes);
      expect(await readFile(notes, 'utf8')).toBe(expected);
      const editResult = JSON.stringify(fake.requests.at(-1)?.body?.messages.at(-1));
      if (decision === 'decline') expect(editResult).toContain('declined by the user');
      else expect(editResult).not.toContain('declined');
      fake.assertComplete();
    } finally {
      await client.close();
    }
  });

  it('refuses a tampered requestState', async () => {
    const raw = rawClient(transport);
    const capabilities = { elicitation: { form: {} } };
    try {
      scriptEdit();
      const first = await raw.request('tools/call', { name: 'fixer', arguments: { prompt: 'Fix the notes.' } }, capabilities);
      expect(first['resultType']).toBe('input_required');
      const state = String(first['requestState']);
      const flipped = state.at(-2) === 'A' ? 'B' : 'A';
      const tampered = `${state.slice(0, -2)}${flipped}${state.slice(-1)}`;
      expect(tampered).not.toBe(state);
      const [key] = Object.keys(first['inputRequests'] as object);
      const retry = raw.request('tools/call', { name: 'fixer', arguments: { prompt: 'Fix the notes.' }, requestState: tampered, inputResponses: { [key!]: { action: 'accept', content: { decision: 'approve' } } } }, capabilities);
      await expect(retry).rejects.toMatchObject({ code: -32602 });
      expect(await readFile(notes, 'utf8')).toBe('alpha\nbeta\n');
      // The genuine state still works: decline, and the run ends.
      const done = await raw.request('tools/call', { name: 'fixer', arguments: { prompt: 'Fix the notes.' }, requestState: state, inputResponses: { [key!]: { action: 'decline' } } }, capabilities);
      expect(textOf(done)).toBe('Edited.');
      expect(await readFile(notes, 'utf8')).toBe('alpha\nbeta\n');
      fake.assertComplete();
    } finally {
      await raw.close();
    }
  });

  it('with the tasks extension, the call becomes a task answered through tasks/update', async () => {
    const raw = rawClient(transport);
    const capabilities = { elicitation: { form: {} }, extensions: { [TASKS_EXTENSION]: {} } };
    try {
      scriptEdit();
      const created = await raw.request('tools/call', { name: 'fixer', arguments: { prompt: 'Fix the notes.' } }, capabilities);
      expect(created).toMatchObject({ resultType: 'task', status: 'working', ttlMs: expect.any(Number), pollIntervalMs: expect.any(Number) });
      const taskId = String(created['taskId']);
      const waiting = await pollTask(raw, taskId, capabilities, (t) => t['status'] !== 'working');
      expect(waiting['status']).toBe('input_required');
      const requests = waiting['inputRequests'] as Record<string, { method: string; params: { message: string } }>;
      const [key, question] = Object.entries(requests)[0]!;
      expect(question.method).toBe('elicitation/create');
      expect(question.params.message).toContain(notes);
      expect(await raw.request('tasks/update', { taskId, inputResponses: { [key]: { action: 'accept', content: { decision: 'approve' } } } }, capabilities)).toMatchObject({ resultType: 'complete' });
      const done = await pollTask(raw, taskId, capabilities, (t) => t['status'] !== 'working' && t['status'] !== 'input_required');
      expect(done['status']).toBe('completed');
      expect(textOf(done['result'] as { content?: unknown })).toBe('Edited.');
      expect(await readFile(notes, 'utf8')).toBe('ALPHA\nbeta\n');
      fake.assertComplete();
    } finally {
      await raw.close();
    }
  });

  it('a subscriber of its task hears input_required, then completed with the answer, as notifications/tasks', async () => {
    const raw = rawClient(transport);
    const capabilities = { elicitation: { form: {} }, extensions: { [TASKS_EXTENSION]: {} } };
    const stop = new AbortController();
    try {
      scriptEdit();
      const created = await raw.request('tools/call', { name: 'fixer', arguments: { prompt: 'Fix the notes.' } }, capabilities);
      const taskId = String(created['taskId']);
      const tasks: Array<Record<string, unknown>> = [];
      const acknowledged: Array<Record<string, unknown>> = [];
      const waiting = new Map<string, (task: Record<string, unknown>) => void>();
      const onNotification = (n: RawNotification): void => {
        if (n.method === 'notifications/subscriptions/acknowledged') acknowledged.push(n.params?.['notifications'] as Record<string, unknown>);
        if (n.method !== 'notifications/tasks' || !n.params) return;
        tasks.push(n.params);
        waiting.get(String(n.params['status']))?.(n.params);
      };
      const heard = (status: string): Promise<Record<string, unknown>> =>
        new Promise((resolve) => {
          const seen = tasks.find((t) => t['status'] === status);
          if (seen) resolve(seen);
          else waiting.set(status, resolve);
        });
      // An id that is not the caller's task is not acknowledged.
      const listening = raw.request('subscriptions/listen', { notifications: { taskIds: [taskId, 'no-such-task'] } }, capabilities, { onNotification, signal: stop.signal }).catch(() => undefined);
      const asking = await heard('input_required');
      expect(acknowledged).toEqual([{ taskIds: [taskId] }]);
      const [key] = Object.keys(asking['inputRequests'] as Record<string, unknown>);
      await raw.request('tasks/update', { taskId, inputResponses: { [key!]: { action: 'accept', content: { decision: 'approve' } } } }, capabilities);
      const done = await heard('completed');
      expect(done).toMatchObject({ taskId, ttlMs: expect.any(Number), pollIntervalMs: expect.any(Number) });
      expect(textOf(done['result'] as { content?: unknown })).toBe('Edited.');
      const statuses = tasks.map((t) => t['status']);
      expect(statuses.indexOf('input_required')).toBeLessThan(statuses.indexOf('completed'));
      expect(statuses.at(-1)).toBe('completed');
      expect(tasks.every((t) => t['taskId'] === taskId)).toBe(true);
      stop.abort('heard enough');
      await listening;
      fake.assertComplete();
    } finally {
      stop.abort('test over');
      await raw.close();
    }
  });

  it('refuses task notifications with -32021 to a caller that does not declare the tasks extension', async () => {
    const raw = rawClient(transport);
    try {
      await expect(raw.request('subscriptions/listen', { notifications: { taskIds: ['any-task'] } }, {})).rejects.toMatchObject({ code: -32021 });
    } finally {
      await raw.close();
    }
  });
});

const logsOf = (notifications: RawNotification[]): Array<Record<string, unknown>> =>
  notifications.filter((n) => n.method === 'notifications/message').map((n) => n.params?.['data'] as Record<string, unknown>);

/** Resolves with the run id once the server logs that the run started (the request must ask for `info` logs). */
function runStarted(): { onNotification: (n: RawNotification) => void; runId: Promise<string> } {
  let started!: (runId: string) => void;
  const runId = new Promise<string>((resolve) => (started = resolve));
  return {
    onNotification: (n) => {
      const data = n.params?.['data'] as { event?: string; run_id?: string } | undefined;
      if (n.method === 'notifications/message' && data?.event === 'run started' && data.run_id) started(data.run_id);
    },
    runId,
  };
}

/** The run's transcript once the run has ended (it is readable, without a stop reason, while it runs). */
async function endedTranscript(raw: RawClient, runId: string): Promise<string> {
  for (;;) {
    const read = await raw.request('resources/read', { uri: `run://${runId}` });
    const transcript = (read['contents'] as Array<{ text?: string }>).map((c) => c.text ?? '').join('');
    if (transcript.includes('stop_reason:')) return transcript;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe.each<Transport>(['stdio', 'http'])('a 2026-07-28 caller over %s stopping runs and asking for logs', (transport) => {
  let raw: RawClient;
  beforeAll(() => {
    raw = rawClient(transport);
  });
  afterAll(async () => {
    await raw?.close();
  });

  it("gets log notifications only when the request's _meta names a log level", async () => {
    fake.script(reply([text('Quiet.')]), reply([text('Loud.')]));
    const quiet: RawNotification[] = [];
    const quietResult = await raw.request('tools/call', { name: 'answerer', arguments: { prompt: 'Say it quietly.' } }, {}, { onNotification: (n) => quiet.push(n) });
    expect(quietResult).toMatchObject({ structuredContent: { answer: 'Quiet.' } });
    const loud: RawNotification[] = [];
    const loudResult = await raw.request('tools/call', { name: 'answerer', arguments: { prompt: 'Say it loudly.' }, _meta: { [LOG_LEVEL]: 'info' } }, {}, { onNotification: (n) => loud.push(n) });
    expect(loudResult).toMatchObject({ structuredContent: { answer: 'Loud.' } });
    expect(logsOf(quiet)).toEqual([]);
    expect(logsOf(loud).map((d) => d['event'])).toEqual(['run started', 'run ended']);
    expect(logsOf(loud)[1]).toMatchObject({ agent: 'answerer', stop_reason: 'end_turn' });
    fake.assertComplete();
  });

  it(`cancels the run when the caller ${transport === 'http' ? "closes the request's stream" : 'sends notifications/cancelled'}; the run ends cancelled`, async () => {
    fake.script(hang());
    const before = fake.requests.length;
    const started = runStarted();
    const controller = new AbortController();
    const call = raw.request('tools/call', { name: 'answerer', arguments: { prompt: 'Take forever.' }, _meta: { [LOG_LEVEL]: 'info' } }, {}, { onNotification: started.onNotification, signal: controller.signal });
    const runId = await started.runId;
    await fake.waitForRequests(before + 1);
    controller.abort('the user pressed stop');
    await expect(call).rejects.toThrow();
    // The model request in flight is closed before it finished, and no other follows.
    expect(await fake.waitForResponseClosed(before + 1)).toEqual({ finished: false });
    const transcript = await endedTranscript(raw, runId);
    expect(transcript).toContain('stop_reason: cancelled');
    expect(fake.requests).toHaveLength(before + 1);
    fake.assertComplete();
  });

  it('cancels a task with tasks/cancel; tasks/get shows it cancelled and the run ends cancelled', async () => {
    const capabilities = { extensions: { [TASKS_EXTENSION]: {} } };
    fake.script(hang());
    const before = fake.requests.length;
    const created = await raw.request('tools/call', { name: 'answerer', arguments: { prompt: 'Take forever.' } }, capabilities);
    expect(created).toMatchObject({ resultType: 'task', status: 'working' });
    const taskId = String(created['taskId']);
    await fake.waitForRequests(before + 1);
    expect(await raw.request('tasks/cancel', { taskId }, capabilities)).toMatchObject({ resultType: 'complete' });
    expect(await raw.request('tasks/get', { taskId }, capabilities)).toMatchObject({ taskId, status: 'cancelled', statusMessage: 'The caller cancelled the task.' });
    expect(await fake.waitForResponseClosed(before + 1)).toEqual({ finished: false });
    const runs = await raw.request('resources/read', { uri: 'agents://runs' });
    const { runs: list } = JSON.parse((runs['contents'] as Array<{ text: string }>)[0]!.text) as { runs: Array<{ run_id: string; agent: string }> };
    const runId = list.find((r) => r.agent === 'answerer')?.run_id;
    expect(runId).toBeDefined();
    expect(await endedTranscript(raw, runId!)).toContain('stop_reason: cancelled');
    fake.assertComplete();
  });
});

describe('hot reload for a client pinned to 2026-07-28', () => {
  it('tells its subscriptions/listen stream when an agent file is added, with the new list', async () => {
    const watched = path.join(tmp, 'watched-agents');
    await mkdir(watched);
    await writeFile(path.join(watched, 'answerer.md'), '---\nname: answerer\ndescription: Answers questions.\n---\nYou answer.\n');
    let changed!: (names: string[]) => void;
    const listed = new Promise<string[]>((resolve) => (changed = resolve));
    const client = new Client(
      { name: 'era-2026-watch', version: '0.0.0' },
      {
        versionNegotiation: { mode: { pin: '2026-07-28' } },
        listChanged: { tools: { onChanged: (_err, tools) => tools && changed(tools.map((t) => t.name)) } },
      },
    );
    await client.connect(new StdioClientTransport({ command: process.execPath, args: [CLI, '--agents', watched, '--workspace', ws], env: { ...getDefaultEnvironment(), ...env() }, stderr: 'ignore' }));
    try {
      expect((await client.listTools()).tools.map((t) => t.name)).toEqual(['answerer']);
      await writeFile(path.join(watched, 'reviewer.md'), '---\nname: reviewer\ndescription: Reviews code.\n---\nYou review.\n');
      expect(await listed).toEqual(['answerer', 'reviewer']);
    } finally {
      await client.close();
    }
  });
});
