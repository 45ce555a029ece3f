/**
 * Long runs through the real MCP server and SDK client (in process), the real runner and the
 * real Anthropic SDK against the fake Messages API: progress, cancellation, the queue, resume,
 * run resources, MCP tasks and log notifications.
 */
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  CallToolResultSchema,
  CreateTaskResultSchema,
  LoggingMessageNotificationSchema,
  type CallToolResult,
  type LoggingMessageNotification,
  type Progress,
} from '@modelcontextprotocol/sdk/types.js';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { hang, httpError, reply, text, toolUse } from '../../test/fake-anthropic/steps.js';
import { makeAgent } from '../../test/helpers/agent.js';
import { startInProcessServer, type InProcessServer } from '../../test/helpers/in-process-server.js';

const reader = makeAgent('reader');
const writer = makeAgent('writer');
const PACKAGE_JSON = path.join(process.cwd(), 'package.json');

let fake: FakeAnthropic;
let server: InProcessServer;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: 'test-key-in-process' });
  server = await startInProcessServer({ fakeUrl: fake.url, agents: [reader, writer] });
});
afterEach(() => {
  fake.assertComplete();
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
});

type LogData = { event: string; run_id: string; agent: string; stop_reason?: string; [key: string]: unknown };

/** Collects MCP log notifications and lets a test wait for one. */
function watchLogs(client: Client) {
  const seen: LoggingMessageNotification['params'][] = [];
  const waiters: Array<{ match: (d: LogData) => boolean; resolve: (d: LogData) => void }> = [];
  client.setNotificationHandler(LoggingMessageNotificationSchema, (n) => {
    seen.push(n.params);
    const data = n.params.data as LogData;
    for (const w of waiters.filter((w) => w.match(data))) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(data);
    }
  });
  return {
    seen,
    next: (match: (d: LogData) => boolean) => new Promise<LogData>((resolve) => waiters.push({ match, resolve })),
  };
}

const structured = (r: CallToolResult) => r.structuredContent as Record<string, unknown> & { run_id: string; stop_reason: string };

describe('progress', () => {
  it('reports each step and throttles the streamed text', async () => {
    const long = 'word '.repeat(400);
    const deltas = long.length / 8;
    fake.script(reply([text('Let me look.'), toolUse('Read', { file_path: PACKAGE_JSON })]), reply([text(long)]));
    const updates: Progress[] = [];
    const result = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'What is this package?' } }, undefined, {
      onprogress: (p) => updates.push(p),
    })) as CallToolResult;

    expect(result.isError).toBeFalsy();
    const messages = updates.map((u) => u.message ?? '');
    expect(messages).toEqual(
      expect.arrayContaining([
        'reader started on claude-sonnet-5-5',
        'turn 1: waiting for the model',
        'Read package.json',
        'Read done',
        'turn 2: waiting for the model',
      ]),
    );
    const writing = messages.filter((m) => m.startsWith('turn 2: writing'));
    expect(writing.length).toBeGreaterThanOrEqual(1);
    expect(writing.length).toBeLessThan(deltas / 10);
    const progress = updates.map((u) => u.progress);
    expect(progress).toEqual([...progress].sort((a, b) => a - b));
    expect(new Set(progress).size).toBe(progress.length);
  });
});

describe('cancellation', () => {
  it('closes the model request, makes no further request and records the run as cancelled', async () => {
    const logs = watchLogs(server.client);
    const before = fake.requests.length;
    fake.script(hang());
    const controller = new AbortController();
    const call = server.client.callTool({ name: 'reader', arguments: { prompt: 'take forever' } }, undefined, { signal: controller.signal });
    const ended = logs.next((d) => d.event === 'run ended' && d.agent === 'reader');
    await fake.waitForRequests(before + 1);
    controller.abort();
    await expect(call).rejects.toThrow();
    expect(await fake.waitForResponseClosed(before + 1)).toEqual({ finished: false });
    const summary = await ended;
    expect(summary.stop_reason).toBe('cancelled');
    expect(fake.requests).toHaveLength(before + 1);
    const kept = await server.runner.runs.get(summary.run_id);
    expect(kept).toMatchObject({ status: 'ended', outcome: { stop_reason: 'cancelled' } });
  });
});

describe('concurrency', () => {
  it('queues calls beyond --max-concurrent-runs and tells them their place', async () => {
    const single = await startInProcessServer({ fakeUrl: fake.url, agents: [reader], config: { maxConcurrentRuns: 1 } });
    try {
      const before = fake.requests.length;
      fake.script(hang(), reply([text('second done')]));
      const controller = new AbortController();
      const first = single.client.callTool({ name: 'reader', arguments: { prompt: 'one' } }, undefined, { signal: controller.signal });
      await fake.waitForRequests(before + 1);
      let queued!: () => void;
      const wasQueued = new Promise<void>((resolve) => (queued = resolve));
      const messages: string[] = [];
      const second = single.client.callTool({ name: 'reader', arguments: { prompt: 'two' } }, undefined, {
        onprogress: (p) => {
          messages.push(p.message ?? '');
          if (p.message === 'queued (position 1)') queued();
        },
      });
      await wasQueued;
      expect(fake.requests).toHaveLength(before + 1);
      controller.abort();
      await expect(first).rejects.toThrow();
      const result = (await second) as CallToolResult;
      expect(result.content).toEqual([{ type: 'text', text: 'second done' }]);
      expect(messages[0]).toBe('queued (position 1)');
      expect(messages).toContain('reader started on claude-sonnet-5-5');
    } finally {
      await single.close();
    }
  });
});

describe('transcripts and resume', () => {
  it('keeps every run as run://<id> and run://<id>/json, lists it in agents://runs, and resumes it', async () => {
    fake.script(reply([text('Checking.'), toolUse('Read', { file_path: PACKAGE_JSON })]), reply([text('It is agents-mcp.')], { usage: { input_tokens: 900, output_tokens: 30 } }));
    const first = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'Name this package.' } })) as CallToolResult;
    const runId = structured(first).run_id;

    const md = (await server.client.readResource({ uri: `run://${runId}` })).contents[0];
    expect(md?.mimeType).toBe('text/markdown');
    const transcript = String(md && 'text' in md ? md.text : '');
    expect(transcript).toContain('Name this package.');
    expect(transcript).toContain('**Tool call `Read`**');
    expect(transcript).toContain('It is agents-mcp.');
    expect(transcript).toMatch(/Cost: \$\d/);

    const json = (await server.client.readResource({ uri: `run://${runId}/json` })).contents[0];
    const record = JSON.parse(String(json && 'text' in json ? json.text : '')) as { outcome: { cost_usd: number }; messages: unknown[] };
    expect(record.outcome.cost_usd).toBe(structured(first)['cost_usd']);
    expect(record.messages).toHaveLength(4);

    const index = (await server.client.readResource({ uri: 'agents://runs' })).contents[0];
    const runs = (JSON.parse(String(index && 'text' in index ? index.text : '')) as { runs: Array<{ run_id: string; uri: string }> }).runs;
    expect(runs[0]).toMatchObject({ run_id: runId, uri: `run://${runId}` });
    const { resourceTemplates } = await server.client.listResourceTemplates();
    expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(['run://{run_id}', 'run://{run_id}/json']);

    fake.script((req) => {
      expect(req.body.messages).toHaveLength(5);
      expect(JSON.stringify(req.body.messages[4])).toContain('And its version?');
      return reply([text('Version 0.1.0.')]);
    });
    const second = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'And its version?', resume: runId } })) as CallToolResult;
    expect(second.content).toEqual([{ type: 'text', text: 'Version 0.1.0.' }]);
    const resumed = await server.runner.runs.get(structured(second).run_id);
    expect(resumed?.resumed_from).toBe(runId);
  });

  it('refuses to resume an unknown run, or another agent\'s run, with a clear isError', async () => {
    const unknown = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'go on', resume: 'no-such-run' } })) as CallToolResult;
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toContain('agents://runs');

    fake.script(reply([text('hello')]));
    const other = (await server.client.callTool({ name: 'writer', arguments: { prompt: 'hi' } })) as CallToolResult;
    const wrong = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'go on', resume: structured(other).run_id } })) as CallToolResult;
    expect(wrong.isError).toBe(true);
    expect(JSON.stringify(wrong.content)).toContain('belongs to agent writer');
    await expect(server.client.readResource({ uri: 'run://no-such-run' })).rejects.toThrow(/Run not found/);
  });
});

describe('MCP tasks', () => {
  it('gives a task-aware client a task and then its result', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.every((t) => t.execution?.taskSupport === 'optional')).toBe(true);
    fake.script(reply([text('Task done.')]));
    const kinds: string[] = [];
    let result: CallToolResult | undefined;
    for await (const message of server.client.experimental.tasks.callToolStream({ name: 'reader', arguments: { prompt: 'as a task' } }, CallToolResultSchema, {
      task: { ttl: 60_000 },
    })) {
      kinds.push(message.type);
      if (message.type === 'result') result = message.result as CallToolResult;
      if (message.type === 'error') throw message.error;
    }
    expect(kinds[0]).toBe('taskCreated');
    expect(kinds.at(-1)).toBe('result');
    expect(result?.content).toEqual([{ type: 'text', text: 'Task done.' }]);
    expect(structured(result!).stop_reason).toBe('end_turn');
  });

  it('stops the run of a cancelled task and keeps its result', async () => {
    const before = fake.requests.length;
    fake.script(hang());
    const created = await server.client.request(
      { method: 'tools/call', params: { name: 'reader', arguments: { prompt: 'long task' } } },
      CreateTaskResultSchema,
      { task: { ttl: 60_000 } },
    );
    const taskId = created.task.taskId;
    await fake.waitForRequests(before + 1);
    const cancelled = await server.client.experimental.tasks.cancelTask(taskId);
    expect(cancelled.status).toBe('cancelled');
    expect(await fake.waitForResponseClosed(before + 1)).toEqual({ finished: false });
    const result = (await server.client.experimental.tasks.getTaskResult(taskId, CallToolResultSchema)) as CallToolResult;
    expect(structured(result).stop_reason).toBe('cancelled');
    expect(fake.requests).toHaveLength(before + 1);
  });

  it('marks a task whose run failed as failed, with the isError result', async () => {
    fake.script(httpError(400, { type: 'invalid_request_error', message: 'model: unknown model' }));
    const created = await server.client.request(
      { method: 'tools/call', params: { name: 'reader', arguments: { prompt: 'fail' } } },
      CreateTaskResultSchema,
      { task: { ttl: 60_000 } },
    );
    const result = (await server.client.experimental.tasks.getTaskResult(created.task.taskId, CallToolResultSchema)) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('unknown model');
    expect((await server.client.experimental.tasks.getTask(created.task.taskId)).status).toBe('failed');
  });
});

describe('log notifications', () => {
  it('sends run start and end summaries, filtered by the level the client set', async () => {
    const logs = watchLogs(server.client);
    await server.client.setLoggingLevel('error');
    fake.script(httpError(401, { type: 'authentication_error', message: 'invalid x-api-key' }));
    const failedEnd = logs.next((d) => d.event === 'run ended');
    const failed = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'x' } })) as CallToolResult;
    expect(failed.isError).toBe(true);
    expect(await failedEnd).toMatchObject({ stop_reason: 'error', error_kind: 'auth', agent: 'reader' });
    expect(logs.seen.map((l) => l.level)).toEqual(['error']);

    await server.client.setLoggingLevel('info');
    fake.script(reply([text('ok')]));
    const started = logs.next((d) => d.event === 'run started');
    const ended = logs.next((d) => d.event === 'run ended' && d.stop_reason === 'end_turn');
    const ok = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'y' } })) as CallToolResult;
    expect(await started).toMatchObject({ run_id: structured(ok).run_id, agent: 'reader', model: 'claude-sonnet-5-5' });
    expect(await ended).toMatchObject({ run_id: structured(ok).run_id, turns: 1, cost_usd: expect.any(Number), usage: expect.any(Object) });
  });
});
