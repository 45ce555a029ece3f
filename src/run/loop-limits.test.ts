/**
 * Limits, cancellation, resume and model failures of the loop, against the real Anthropic
 * client and SDK talking to the fake Messages API with latency.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { hang, httpError, malformedSse, reply, slowStream, streamCut, streamError, text, toolUse } from '../../test/fake-anthropic/steps.js';
import type { LocalTool } from '../tools/tool.js';
import { textResult } from '../tools/tool.js';
import { createAnthropicClient } from './anthropic.js';
import { runLoop, type RunOptions } from './loop.js';
import { echoTool, runOptions, type RunOverrides } from '../../test/helpers/run-options.js';

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: 'k-test-limits' });
});
afterEach(() => {
  fake.assertComplete();
});
afterAll(async () => {
  await fake.close();
});

const echo = echoTool;

function options(overrides: RunOverrides = {}): RunOptions {
  return runOptions({ url: fake.url, apiKey: 'k-test-limits', maxRetries: 2 }, { ...overrides });
}

const LONG_TEXT = 'All work and no play makes a dull answer. '.repeat(40);

describe('limits', () => {
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

describe('cancellation', () => {
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

  it('stops a running tool through its signal and keeps the history valid for resume', async () => {
    const controller = new AbortController();
    let toolSawAbort = false;
    const waiting: LocalTool = {
      ...echo,
      name: 'Wait',
      run: (_input, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            toolSawAbort = true;
            resolve(textResult('stopped', true));
          });
          controller.abort();
        }),
    };
    fake.script(reply([toolUse('Wait', {}, 'tw')]));
    const result = await runLoop(options({ tools: [waiting], signal: controller.signal }));
    expect(result.stopReason).toBe('cancelled');
    expect(toolSawAbort).toBe(true);
    expect(result.messages?.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });
});

describe('resume', () => {
  it('continues an earlier conversation with the follow-up as the next user input', async () => {
    fake.script(reply([text('First answer.')]));
    const first = await runLoop(options({ prompt: 'question one' }));
    fake.script((req) => {
      const roles = req.body.messages.map((m) => m.role);
      expect(roles).toEqual(['user', 'assistant', 'user']);
      expect(JSON.stringify(req.body.messages[1])).toContain('First answer.');
      expect(JSON.stringify(req.body.messages[2])).toContain('question two');
      return reply([text('Second answer.')]);
    });
    const second = await runLoop(options({ prompt: 'question two', history: first.messages ?? [] }));
    expect(second).toMatchObject({ stopReason: 'end_turn', answer: 'Second answer.' });
    expect(second.messages).toHaveLength(4);
  });
});

describe('model failures', () => {
  const client = () => createAnthropicClient({ apiKey: 'k-test-limits', baseURL: fake.url, maxRetries: 2, streamRestarts: 1 });

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
