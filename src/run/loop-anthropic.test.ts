/**
 * The loop on the real Anthropic client and SDK, talking to the fake Messages API with latency:
 * what only the wire shows (retries, streams cut, broken or slow, a wrong key, a request closed
 * when the run stops mid-turn). The loop's own behaviour is tested on a scripted model in
 * loop.test.ts and loop-limits.test.ts.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { hang, httpError, malformedSse, reply, slowStream, streamCut, streamError, text, toolUse } from '../../test/fake-anthropic/steps.js';
import { createAnthropicClient } from './anthropic.js';
import { runLoop, type RunOptions } from './loop.js';
import { runOptions, type RunOverrides } from '../../test/helpers/run-options.js';

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: 'k-test-loop' });
});
afterEach(() => {
  fake.assertComplete();
});
afterAll(async () => {
  await fake.close();
});

function options(overrides: RunOverrides = {}): RunOptions {
  return runOptions({ url: fake.url, apiKey: 'k-test-loop', maxRetries: 2 }, overrides);
}

describe('runLoop on the Anthropic client', () => {
  it('retries an overloaded API and then succeeds', async () => {
    const overloaded = httpError(529, { type: 'overloaded_error', message: 'Overloaded' }, { retryAfterMs: 1 });
    fake.script(overloaded, overloaded, reply([text('made it')]));
    expect(await runLoop(options())).toMatchObject({ stopReason: 'end_turn', answer: 'made it', backend: 'anthropic' });
    fake.assertComplete();
  });

  it('restarts a turn whose stream was cut mid-way', async () => {
    fake.script(streamCut(3), reply([text('second try')]));
    expect(await runLoop(options())).toMatchObject({ stopReason: 'end_turn', answer: 'second try', turns: 1 });
    fake.assertComplete();
  });

  it('ends with a classified error, not a throw, when the key is wrong', async () => {
    const client = createAnthropicClient({ apiKey: 'wrong-key', baseURL: fake.url, maxRetries: 0 });
    const result = await runLoop(options({ client }));
    expect(result.stopReason).toBe('error');
    expect(result.error?.kind).toBe('auth');
    expect(result.error?.advice).toContain('ANTHROPIC_API_KEY');
  });
});

const LONG_TEXT = 'All work and no play makes a dull answer. '.repeat(40);

describe('a limit or a cancel mid-turn closes the request', () => {
  it('stops at the wall-clock limit mid-turn, closes the request and keeps the streamed text', async () => {
    const before = fake.requests.length;
    fake.script(slowStream(reply([text(LONG_TEXT)]), { chunkDelayMs: 100 }));
    const result = await runLoop(options({ maxDurationMs: 1500 }));
    expect(result.stopReason).toBe('max_duration');
    expect(result.answer.length).toBeGreaterThan(0);
    expect(LONG_TEXT.startsWith(result.answer)).toBe(true);
    expect(await fake.waitForResponseClosed(before + 1)).toEqual({ finished: false });
    expect(fake.requests).toHaveLength(before + 1);
  });
});

describe('cancellation on the wire', () => {
  it('aborts the model request in flight and ends cancelled with the usage of the turns so far', async () => {
    const controller = new AbortController();
    fake.script(reply([toolUse('Echo', { say: 'a' })], { usage: { input_tokens: 40, output_tokens: 7 } }), hang());
    const before = fake.requests.length;
    const running = runLoop(options({ signal: controller.signal }));
    await fake.waitForRequests(before + 2);
    controller.abort();
    const result = await running;
    expect(result).toMatchObject({ stopReason: 'cancelled', turns: 2 });
    expect(result.usage).toMatchObject({ input_tokens: 40, output_tokens: 7 });
    expect(await fake.waitForResponseClosed(before + 2)).toEqual({ finished: false });
    expect(fake.requests).toHaveLength(before + 2);
  });

  it('counts the input of a turn cancelled mid-stream', async () => {
    const controller = new AbortController();
    fake.script(slowStream(reply([text(LONG_TEXT)], { usage: { input_tokens: 123 } }), { chunkDelayMs: 50 }));
    const result = await runLoop(
      options({ signal: controller.signal, onEvent: (e) => e.type === 'text' && controller.abort() }),
    );
    expect(result.stopReason).toBe('cancelled');
    expect(result.usage.input_tokens).toBe(123);
    expect(result.answer.length).toBeGreaterThan(0);
  });
});

describe('model failures', () => {
  const client = () => createAnthropicClient({ apiKey: 'k-test-loop', baseURL: fake.url, maxRetries: 2, streamRestarts: 1 });

  it('restarts a turn whose stream broke with an overloaded error event, then succeeds', async () => {
    fake.script(streamError({ type: 'overloaded_error', message: 'Overloaded' }), reply([text('recovered')]));
    expect(await runLoop(options({ client: client() }))).toMatchObject({ stopReason: 'end_turn', answer: 'recovered', turns: 1 });
  });

  it('names a stream that keeps dropping as stream_cut', async () => {
    fake.script(streamCut(4), streamCut(4));
    const result = await runLoop(options({ client: client() }));
    expect(result.stopReason).toBe('error');
    expect(result.error).toMatchObject({ kind: 'stream_cut' });
    expect(result.error?.advice).toContain('dropped');
  });

  it('names a response that stays unreadable as bad_response', async () => {
    fake.script(malformedSse(), malformedSse());
    const result = await runLoop(options({ client: client() }));
    expect(result.error).toMatchObject({ kind: 'bad_response' });
    expect(result.error?.advice).toContain('ANTHROPIC_BASE_URL');
  });

  it('reports a lasting rate limit with the wait the API asked for', async () => {
    const limited = httpError(429, { type: 'rate_limit_error', message: 'Too many requests' }, { retryAfterMs: 5, retryAfter: 30 });
    fake.script(limited, limited, limited);
    const result = await runLoop(options({ client: client() }));
    expect(result.error).toMatchObject({ kind: 'rate_limit' });
    expect(result.error?.message).toContain('wait 30 s');
  });
});
