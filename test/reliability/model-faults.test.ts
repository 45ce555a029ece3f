/**
 * Model faults, in process: the loop with the real Anthropic client and SDK against the fake
 * Messages API misbehaving. Each fault is retried where that is right (the SDK's retries for
 * HTTP errors; our restart for a stream broken mid-way), otherwise the run ends with a
 * classified error (kind + advice) — never a throw, never a hang. The same faults over MCP
 * are in model-faults-stdio.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicClient, type AnthropicClientOptions } from '../../src/run/anthropic.js';
import { runLoop } from '../../src/run/loop.js';
import { type RunResult } from '../../src/run/result.js';
import { createFileTools } from '../../src/tools/files/registry.js';
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
  toolUse,
  type FakeAnthropic,
  type Step,
} from '../fake-anthropic/server.js';
import { encodeFrames, framesOf, moveFrame, withUnknownBlock } from './sse.js';
import { TreeBudget } from '../../src/run/run-budget.js';

const KEY = 'k-reliability-model-faults';
/** Short retry waits for the fake's errors, so the SDK's retries cost milliseconds. */
const FAST = { retryAfterMs: 1 };

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
});
afterEach(() => {
  fake.assertComplete();
});
afterAll(async () => {
  await fake.close();
});

async function run(steps: Step[], client: Partial<AnthropicClientOptions> = {}): Promise<{ result: RunResult; requests: number }> {
  const before = fake.requests.length;
  fake.script(...steps);
  const result = await runLoop({
    agentName: 'tester',
    system: 'You test faults.',
    prompt: 'go',
    model: 'claude-sonnet-5-5',
    client: createAnthropicClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 2, ...client }),
    tools: createFileTools(),
    roots: ['/tmp'],
    budget: new TreeBudget({ maxTurns: 5 }),
    maxTokens: 1000,
    signal: new AbortController().signal,
  });
  return { result, requests: fake.requests.length - before };
}

const ok = (answer = 'recovered'): Step => reply([text(answer)]);
const answered = (answer = 'recovered') => ({ stopReason: 'end_turn', answer });
const failed = (kind: string, advice: RegExp) => ({ stopReason: 'error', answer: '', error: { kind, message: expect.any(String), advice: expect.stringMatching(advice) } });
const textFrames = framesOf(reply([text('A streamed answer in several chunks.')]));
const wire = encodeFrames(textFrames);

describe('HTTP errors: retried by the SDK, then a classified error', () => {
  it('429 with retry-after: waits as told, retries and succeeds', async () => {
    const { result, requests } = await run([httpError(429, { type: 'rate_limit_error', message: 'slow down' }, { retryAfter: 1 }), ok()]);
    expect(result).toMatchObject(answered());
    expect(requests).toBe(2);
  });

  it('429 that persists: a rate_limit error after the retries', async () => {
    const limited = httpError(429, { type: 'rate_limit_error', message: 'slow down' }, FAST);
    const { result, requests } = await run([limited, limited, limited]);
    expect(result).toMatchObject(failed('rate_limit', /rate limit/));
    expect(result.error?.message).toContain('slow down');
    expect(requests).toBe(3);
  });

  it('a storm of 529s: retried while it lasts, overloaded error when it outlasts the retries', async () => {
    const overloaded = httpError(529, { type: 'overloaded_error', message: 'Overloaded' }, FAST);
    expect((await run([overloaded, overloaded, ok()])).result).toMatchObject(answered());
    const { result, requests } = await run([overloaded, overloaded, overloaded]);
    expect(result).toMatchObject(failed('overloaded', /overloaded/));
    expect(requests).toBe(3);
  });

  it('500: retried, then a server error', async () => {
    const internal = httpError(500, { type: 'api_error', message: 'Internal server error' }, FAST);
    expect((await run([internal, ok()])).result).toMatchObject(answered());
    expect((await run([internal, internal, internal])).result).toMatchObject(failed('server', /internal error/));
  });

  it('400, 401 and 404: not retried, an error saying what to check', async () => {
    const bad = await run([httpError(400, { type: 'invalid_request_error', message: 'messages.0: bad block' })]);
    expect(bad).toMatchObject({ requests: 1, result: failed('bad_request', /rejected the request as invalid/) });
    const unknownModel = await run([apiError('not_found_error', 'model: claude-nope')]);
    expect(unknownModel).toMatchObject({ requests: 1, result: failed('not_found', /model id/) });
    const wrongKey = await run([], { apiKey: 'not-the-key-0000' });
    expect(wrongKey).toMatchObject({ requests: 1, result: failed('auth', /ANTHROPIC_API_KEY/) });
  });
});

describe('broken streams: the turn is restarted, then a classified error', () => {
  it('a stream cut in the middle of an event', async () => {
    const cut = rawStream(wire.slice(0, Math.floor(wire.length / 2)), { then: 'cut' });
    expect(await run([cut, ok()])).toMatchObject({ requests: 2, result: answered() });
    expect(await run([cut, cut, cut])).toMatchObject({ requests: 3, result: failed('stream_cut', /network/) });
  });

  it('a stream that ends in the middle of an event', async () => {
    expect(await run([rawStream(wire.slice(0, wire.length - 20)), ok()])).toMatchObject({ requests: 2, result: answered() });
  });

  it('malformed SSE (JSON broken off)', async () => {
    expect(await run([malformedSse(), ok()])).toMatchObject({ requests: 2, result: answered() });
    const { result } = await run([malformedSse(), malformedSse(), malformedSse()]);
    expect(result).toMatchObject(failed('bad_response', /could not be read/));
  });

  it('an event out of order (a delta before its block starts)', async () => {
    const early = rawStream(encodeFrames(moveFrame(textFrames, 3, 2)));
    expect(await run([early, ok()])).toMatchObject({ requests: 2, result: answered() });
  });

  it('a stream without message_start', async () => {
    expect(await run([rawStream(encodeFrames(textFrames.slice(1))), ok()])).toMatchObject({ requests: 2, result: answered() });
  });

  it('an overloaded error event mid-stream', async () => {
    expect(await run([streamError(), ok()])).toMatchObject({ requests: 2, result: answered() });
    expect(await run([streamError(), streamError(), streamError()])).toMatchObject({ requests: 3, result: failed('overloaded', /overloaded/) });
  });

  it('a message_delta sent before message_start: its stop reason is lost, the run ends as `other` with the text', async () => {
    const early = rawStream(encodeFrames(moveFrame(textFrames, textFrames.length - 2, 0)));
    const { result, requests } = await run([early]);
    expect(requests).toBe(1);
    expect(result).toMatchObject({ stopReason: 'other', answer: 'A streamed answer in several chunks.' });
    expect(result.rawStopReason).toBeUndefined();
  });
});

describe('responses that never end: a timeout, not a hang', () => {
  it('no response at all: the request timeout, retried by the SDK, then a timeout error', async () => {
    const { result, requests } = await run([hang(), hang(), hang()], { timeoutMs: 200 });
    expect(result).toMatchObject(failed('timeout', /did not answer in time/));
    expect(requests).toBe(3);
  });

  it('a stream that starts and goes silent: the idle timeout ends it', async () => {
    const stall = rawStream(encodeFrames(textFrames.slice(0, 4)), { then: 'stall' });
    const { result, requests } = await run([stall], { idleTimeoutMs: 200 });
    expect(result).toMatchObject(failed('timeout', /did not answer in time/));
    expect(result.error?.message).toMatch(/went silent/);
    expect(requests).toBe(1);
  });

  it('a stream that is silent before its first event is also cut by the idle timeout', async () => {
    const { result } = await run([rawStream('', { then: 'stall' })], { idleTimeoutMs: 200 });
    expect(result).toMatchObject(failed('timeout', /did not answer in time/));
  });
});

describe('odd but well-formed replies', () => {
  it('an empty content list ends the run with no answer (over MCP: an isError result)', async () => {
    expect(await run([reply([])])).toMatchObject({ requests: 1, result: { stopReason: 'end_turn', answer: '' } });
  });

  it('stop_reason tool_use without a tool_use block ends the turn instead of sending an empty user turn', async () => {
    const { result, requests } = await run([reply([text('I would use a tool.')], { stop_reason: 'tool_use' })]);
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'I would use a tool.', turns: 1 });
    expect(requests).toBe(1);
  });

  it('an unknown content block type is carried back to the model untouched, and the run goes on', async () => {
    const withTool = framesOf(reply([text('Looking.'), toolUse('LS', { path: '/tmp' }, 'toolu_ls')]));
    let history = '';
    const { result } = await run([
      rawStream(encodeFrames(withUnknownBlock(withTool))),
      (request) => {
        history = JSON.stringify(request.body.messages);
        return ok();
      },
    ]);
    expect(result).toMatchObject({ ...answered(), turns: 2 });
    expect(history).toContain('"type":"hologram"');
    expect(history).toContain('"tool_use_id":"toolu_ls"');
  });

  it('an unknown event type is skipped', async () => {
    const unknown = { event: 'telemetry', data: { type: 'telemetry', note: 'from the future' } };
    const { result } = await run([rawStream(encodeFrames([...textFrames.slice(0, 2), unknown, ...textFrames.slice(2)]))]);
    expect(result).toMatchObject(answered('A streamed answer in several chunks.'));
  });

  it('an unknown stop_reason ends the run as `other`, keeping the raw value and the text', async () => {
    const { result } = await run([reply([text('partial')], { stop_reason: 'banana' as 'end_turn' })]);
    expect(result).toMatchObject({ stopReason: 'other', rawStopReason: 'banana', answer: 'partial' });
  });
});
