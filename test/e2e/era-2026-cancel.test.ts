/**
 * A 2026-07-28 caller stops a run and hears its logs, against the built server over stdio and
 * HTTP with the raw client (which shows the wire): closing the request's stream (HTTP) or
 * `notifications/cancelled` (stdio) cancels the run, `tasks/cancel` cancels a task, and each such
 * run ends `cancelled` with a transcript that says so; log notifications come only to a request
 * whose `_meta` names a log level. The model is the fake Messages API.
 */
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { hang, reply, text } from '../fake-anthropic/steps.js';
import { spawnHttpServer, type HttpServerProcess } from '../helpers/http-server.js';
import { rawHttpClient, rawStdioClient, TASKS_EXTENSION, type RawClient, type RawNotification } from '../helpers/raw-2026-client.js';

const API_KEY = 'k-era-2026-cancel-0123456789';
const LOG_LEVEL = 'io.modelcontextprotocol/logLevel';
let fake: FakeAnthropic;
let tmp: string;
let agents: string;
let ws: string;
let http: HttpServerProcess;

const env = (): Record<string, string> => ({ ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url });
const args = (): string[] => ['--agents', agents, '--workspace', ws, '--no-watch'];

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: API_KEY });
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'era-2026-cancel-')));
  agents = path.join(tmp, 'agents');
  ws = path.join(tmp, 'ws');
  await mkdir(agents);
  await mkdir(ws);
  await writeFile(path.join(agents, 'answerer.md'), '---\nname: answerer\ndescription: Answers questions.\ntools: Read\n---\nYou answer.\n');
  http = await spawnHttpServer(args(), env());
});
afterAll(async () => {
  await http?.stop();
  await fake?.close();
  await rm(tmp, { recursive: true, force: true });
});

type Transport = 'stdio' | 'http';

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

describe.each<Transport>(['stdio', 'http'])('a 2026-07-28 caller over %s', (transport) => {
  let raw: RawClient;
  beforeAll(() => {
    raw = transport === 'http' ? rawHttpClient(http.url) : rawStdioClient(args(), env());
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
