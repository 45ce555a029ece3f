/**
 * Model faults over MCP: the built server over real stdio, its real Anthropic SDK pointed at
 * the fake Messages API misbehaving. Every call ends — an answer after retries where those
 * are right, else an isError result that says what happened and what to do — and the server
 * keeps serving: tools/list answers and the process is alive after all of them. Hostile
 * arguments from the MCP client get the same treatment.
 */
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import {
  apiError,
  hang,
  httpError,
  malformedSse,
  rawStream,
  reply,
  startFakeAnthropic,
  streamError,
  text,
  type FakeAnthropic,
  type Step,
} from '../fake-anthropic/server.js';
import { spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';
import { goodAgent } from './agent-file-mutations.js';
import { isRunning } from './proc.js';
import { encodeFrames, framesOf, moveFrame, withUnknownBlock } from './sse.js';

const KEY = 'sk-ant-reliability-faults-0123456789';
const FAST = { retryAfterMs: 1 };
/** The server's SDK makes 1 request + 2 retries; our stream restarts also allow 2 more. */
const three = (step: Step): Step[] => [step, step, step];

let fake: FakeAnthropic;
let dir: string;
let server: SpawnedServer;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  dir = await realpath(await mkdtemp(path.join(os.tmpdir(), 'reliability-faults-')));
  await writeFile(path.join(dir, 'tester.md'), goodAgent('tester'));
  server = await spawnStdioServer(['--agents', dir, '--workspace', dir, '--no-watch', '--model-timeout', '1'], {
    ANTHROPIC_API_KEY: KEY,
    ANTHROPIC_BASE_URL: fake.url,
  });
});
afterEach(() => {
  fake.assertComplete();
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

async function call(args: Record<string, unknown> = { prompt: 'go' }): Promise<{ isError: boolean; text: string; sc: Record<string, unknown> }> {
  const result = (await server.client.callTool({ name: 'tester', arguments: args })) as CallToolResult;
  const said = result.content.map((c) => (c.type === 'text' ? c.text : `[${c.type}]`)).join('');
  return { isError: result.isError === true, text: said, sc: (result.structuredContent ?? {}) as Record<string, unknown> };
}

const textFrames = framesOf(reply([text('A streamed answer.')]));
const wire = encodeFrames(textFrames);

/** [fault, steps, the isError text it must give]. */
const FAILURES: Array<[string, Step[], RegExp]> = [
  ['401 from the API', [httpError(401, { type: 'authentication_error', message: 'invalid x-api-key' })], /answered 401.*\n.*ANTHROPIC_API_KEY/],
  ['a 429 that outlasts the retries', three(httpError(429, { type: 'rate_limit_error', message: 'slow down' }, FAST)), /answered 429.*\n.*rate limit/],
  ['a storm of 529s', three(httpError(529, { type: 'overloaded_error', message: 'Overloaded' }, FAST)), /answered 529.*\n.*overloaded/],
  ['500 on every attempt', three(httpError(500, { type: 'api_error', message: 'Internal server error' }, FAST)), /answered 500.*\n.*internal error/],
  ['a stream cut mid-event every time', three(rawStream(wire.slice(0, wire.length / 2), { then: 'cut' })), /dropped mid-answer.*\n.*check the network/],
  ['malformed SSE every time', three(malformedSse()), /not valid JSON.*\n.*could not be read/],
  ['events out of order every time', three(rawStream(encodeFrames(moveFrame(textFrames, 3, 2)))), /out of order.*\n.*could not be read/],
  ['an overloaded error event mid-stream every time', three(streamError()), /Overloaded\n.*overloaded/],
  ['no response at all (request timeout, 1 s)', three(hang()), /timed out.*\n.*did not answer in time/],
  ['a stream that goes silent (idle timeout, 1 s)', [rawStream(encodeFrames(textFrames.slice(0, 4)), { then: 'stall' })], /went silent for 1 s.*\n.*did not answer in time/],
  ['an empty content list', [reply([])], /ended without an answer/],
  ['an unknown stop_reason', [reply([text('half')], { stop_reason: 'banana' as 'end_turn' })], /stop_reason: banana[\s\S]*Try again[\s\S]*half$/],
  ['402 billing_error', [apiError('billing_error')], /answered 402 \(billing_error\).*\n.*add credit/],
  ['a full context window', [reply([text('half')], { stop_reason: 'model_context_window_exceeded' })], /filled the model's context window.*\n.*larger context window[\s\S]*half$/],
  ['a refusal with its explanation', [reply([text('No.')], { stop_reason: 'refusal', stop_details: { category: 'cyber', explanation: 'Looks like malware.' } })], /declined the task \(category: cyber\): Looks like malware\.[\s\S]*No\.$/],
];

describe('model faults over stdio', () => {
  it.each(FAILURES)('%s → an isError result saying what to do', async (_fault, steps, message) => {
    fake.script(...steps);
    const result = await call();
    expect(result.isError).toBe(true);
    expect(result.text).toMatch(message);
    expect(result.text).not.toContain(KEY);
  });

  it('a storm of 529s across 5 concurrent calls: each gets its own isError result', async () => {
    fake.script(...Array.from({ length: 15 }, () => httpError(529, { type: 'overloaded_error', message: 'Overloaded' }, FAST)));
    const results = await Promise.all(Array.from({ length: 5 }, () => call()));
    expect(results.map((r) => r.isError)).toEqual([true, true, true, true, true]);
    for (const r of results) expect(r.text).toMatch(/overloaded/);
  });

  it('faults within the retries end in an answer', async () => {
    fake.script(
      httpError(529, { type: 'overloaded_error', message: 'Overloaded' }, FAST),
      httpError(429, { type: 'rate_limit_error', message: 'slow down' }, FAST),
      reply([text('first')]),
      rawStream(wire.slice(0, 100), { then: 'cut' }),
      streamError(),
      reply([text('second')]),
      rawStream(encodeFrames(withUnknownBlock(textFrames))),
    );
    expect(await call()).toMatchObject({ isError: false, text: 'first' });
    expect(await call()).toMatchObject({ isError: false, text: 'second' });
    expect(await call()).toMatchObject({ isError: false, text: 'A streamed answer.' });
  });
});

describe('hostile arguments from the MCP client', () => {
  it.each([
    ['no arguments', undefined, /prompt: .*expected string/],
    ['a number as prompt', { prompt: 42 }, /prompt: .*expected string/],
    ['an empty prompt', { prompt: '' }, /prompt must not be empty/],
    ['a list as prompt', { prompt: ['a'] }, /prompt: .*expected string/],
  ])('%s → an isError result naming the argument', async (_what, args, message) => {
    const result = (await server.client.callTool({ name: 'tester', ...(args ? { arguments: args } : {}) })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(message);
  });

  it('a 1 MiB prompt is passed to the model as given', async () => {
    const prompt = `${'p'.repeat(1024 * 1024 - 3)}end`;
    let received = '';
    fake.script((request) => {
      received = JSON.stringify(request.body.messages[0]);
      return reply([text('read it all')]);
    });
    expect(await call({ prompt })).toMatchObject({ isError: false, text: 'read it all' });
    expect(received).toContain(prompt);
  });

  it('an unknown tool and a tool name with odd characters → protocol errors', async () => {
    await expect(server.client.callTool({ name: 'nope', arguments: { prompt: 'x' } })).rejects.toThrow(/Unknown tool/);
    await expect(server.client.callTool({ name: `x\u0000${'y'.repeat(10_000)}`, arguments: { prompt: 'x' } })).rejects.toThrow(/Unknown tool/);
  });
});

describe('after every fault', () => {
  it('the server still lists its tools and its process is running', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['tester']);
    expect(isRunning(server.pid)).toBe(true);
    expect(server.stderr()).not.toContain(KEY);
  });
});
