/**
 * The loop against the real Anthropic client and SDK, talking to the fake Messages API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { httpError, reply, streamCut, text, toolUse } from '../../test/fake-anthropic/steps.js';
import type { Tool } from '../tools/tool.js';
import { createAnthropicClient } from './anthropic.js';
import { runAgent, type RunOptions } from './loop.js';
import { echoTool, runOptions } from '../../test/helpers/run-options.js';

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: 'k-test-loop' });
});
afterAll(async () => {
  await fake.close();
});

const echo = echoTool;
const broken: Tool = { ...echo, name: 'Broken', run: async () => Promise.reject(new Error('disk on fire')) };

function options(overrides: Parameters<typeof runOptions>[1] = {}): RunOptions {
  return runOptions({ url: fake.url, apiKey: 'k-test-loop', maxRetries: 2 }, { tools: [echo, broken], ...overrides });
}

type Block = { type: string; tool_use_id?: string; is_error?: boolean; content?: unknown; text?: string };
function lastUserBlocks(body: unknown): Block[] {
  const messages = (body as { messages: Array<{ role: string; content: Block[] }> }).messages;
  return messages.at(-1)?.content ?? [];
}

describe('runAgent', () => {
  it('runs several tool calls of one turn and feeds every result back, errors included', async () => {
    fake.script(reply([toolUse('Echo', { say: 'a' }, 't1'), toolUse('Broken', {}, 't2'), toolUse('Nope', {}, 't3')]), (req) => {
      const blocks = lastUserBlocks(req.body);
      expect(blocks.map((b) => [b.tool_use_id, b.is_error ?? false])).toEqual([
        ['t1', false],
        ['t2', true],
        ['t3', true],
      ]);
      expect(JSON.stringify(blocks[1]?.content)).toContain('disk on fire');
      expect(JSON.stringify(blocks[2]?.content)).toContain('not available to this agent');
      return reply([text('all done')]);
    });
    const result = await runAgent(options());
    expect(result).toMatchObject({ answer: 'all done', stopReason: 'end_turn', turns: 2, backend: 'anthropic' });
    expect(result.costUsd).toBeGreaterThan(0);
    fake.assertComplete();
  });

  it('continues a turn cut at max_tokens and joins the text', async () => {
    fake.script(reply([text('first half, ')], { stop_reason: 'max_tokens' }), (req) => {
      expect(JSON.stringify(lastUserBlocks(req.body))).toContain('cut off at the output-token limit');
      return reply([text('second half.')]);
    });
    const result = await runAgent(options());
    expect(result).toMatchObject({ answer: 'first half, second half.', stopReason: 'end_turn', turns: 2 });
    fake.assertComplete();
  });

  it('ends a runaway run at the turn limit with the last text', async () => {
    fake.script(reply([text('working on it'), toolUse('Echo', { say: '1' })]), reply([text('still working'), toolUse('Echo', { say: '2' })]));
    const result = await runAgent(options({ maxTurns: 2 }));
    expect(result).toMatchObject({ stopReason: 'max_turns', turns: 2, answer: 'still working' });
    fake.assertComplete();
  });

  it('ends on a refusal and keeps an unknown stop reason as `other`', async () => {
    fake.script(reply([text('I cannot help with that.')], { stop_reason: 'refusal' }));
    expect(await runAgent(options())).toMatchObject({ stopReason: 'refusal', answer: 'I cannot help with that.' });
    fake.script(reply([text('hm')], { stop_reason: 'a_future_reason' as 'end_turn' }));
    expect(await runAgent(options())).toMatchObject({ stopReason: 'other', rawStopReason: 'a_future_reason' });
    fake.assertComplete();
  });

  it('retries an overloaded API and then succeeds', async () => {
    const overloaded = httpError(529, { type: 'overloaded_error', message: 'Overloaded' }, { retryAfterMs: 1 });
    fake.script(overloaded, overloaded, reply([text('made it')]));
    expect(await runAgent(options())).toMatchObject({ stopReason: 'end_turn', answer: 'made it' });
    fake.assertComplete();
  });

  it('restarts a turn whose stream was cut mid-way', async () => {
    fake.script(streamCut(3), reply([text('second try')]));
    expect(await runAgent(options())).toMatchObject({ stopReason: 'end_turn', answer: 'second try', turns: 1 });
    fake.assertComplete();
  });

  it('ends with a classified error, not a throw, when the key is wrong', async () => {
    const client = createAnthropicClient({ apiKey: 'wrong-key', baseURL: fake.url, maxRetries: 0 });
    const result = await runAgent(options({ client }));
    expect(result.stopReason).toBe('error');
    expect(result.error?.kind).toBe('auth');
    expect(result.error?.advice).toContain('ANTHROPIC_API_KEY');
  });

  it('ends as cancelled when the signal is aborted before the run', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await runAgent(options({ signal: controller.signal }));
    expect(result).toMatchObject({ stopReason: 'cancelled', turns: 0 });
  });
});
