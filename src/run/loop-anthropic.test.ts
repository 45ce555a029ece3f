/**
 * The loop on the real Anthropic client and SDK, talking to the fake Messages API: what only the
 * wire shows (retries, a stream cut mid-way, a wrong key). The loop's own behaviour is tested on
 * a scripted model in loop.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { httpError, reply, streamCut, text } from '../../test/fake-anthropic/steps.js';
import { createAnthropicClient } from './anthropic.js';
import { runLoop, type RunOptions } from './loop.js';
import { runOptions, type RunOverrides } from '../../test/helpers/run-options.js';

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: 'k-test-loop' });
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
