/**
 * The fake rejects what the real Messages API rejects: thinking blocks sent back changed or
 * under another prefix, misplaced or too many cache breakpoints, unknown effort levels; and it
 * speaks the API's error types and refusal details.
 */
import Anthropic from '@anthropic-ai/sdk';
import type { ContentBlock, MessageParam, TextBlockParam, Tool } from '@anthropic-ai/sdk/resources/messages';
import { afterEach, describe, expect, it } from 'vitest';
import { apiError, reply, startFakeAnthropic, text, thinking, toolUse, type FakeAnthropic } from './server.js';

const servers: FakeAnthropic[] = [];
async function start(): Promise<FakeAnthropic> {
  const fake = await startFakeAnthropic();
  servers.push(fake);
  return fake;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const client = (fake: FakeAnthropic): Anthropic => new Anthropic({ apiKey: 'k', baseURL: fake.url, maxRetries: 0 });
const tools: Tool[] = [{ name: 'Read', description: 'Read a file', input_schema: { type: 'object', properties: {} } }];
const system: TextBlockParam[] = [{ type: 'text', text: 'You are careful.' }];
const first: MessageParam = { role: 'user', content: [{ type: 'text', text: 'Read /a' }] };

/** One thinking turn that calls Read; returns its content as the API sent it. */
async function thinkingTurn(fake: FakeAnthropic): Promise<ContentBlock[]> {
  fake.script(reply([thinking('I should read /a first.'), toolUse('Read', { path: '/a' }, 'tu_1')]));
  const message = await client(fake).messages.stream({ model: 'm', max_tokens: 100, system, tools, messages: [first] }).finalMessage();
  return message.content;
}

function followUp(content: unknown[]): MessageParam[] {
  return [
    first,
    { role: 'assistant', content: content as MessageParam['content'] },
    { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'tu_1', content: 'file a' }] },
  ];
}

async function rejection(promise: Promise<unknown>): Promise<{ status?: number; type?: string; message: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(Anthropic.APIError);
  const apiErr = err as InstanceType<typeof Anthropic.APIError>;
  const body = apiErr.error as { error?: { type?: string; message?: string } };
  return { status: apiErr.status, type: body.error?.type, message: body.error?.message ?? '' };
}

describe('signed thinking blocks', () => {
  it('accepts a thinking block sent back unchanged under the same system, tools and messages, cache breakpoints moved', async () => {
    const fake = await start();
    const content = await thinkingTurn(fake);
    fake.script(text('Done.'));
    const messages = followUp(content);
    const withBreakpoint: MessageParam = { role: 'user', content: [{ type: 'tool_result' as const, tool_use_id: 'tu_1', content: 'file a', cache_control: { type: 'ephemeral' as const } }] };
    const answer = await client(fake)
      .messages.stream({ model: 'm', max_tokens: 100, system: [{ ...system[0]!, cache_control: { type: 'ephemeral' } }], tools, messages: [messages[0]!, messages[1]!, withBreakpoint] })
      .finalText();
    expect(answer).toBe('Done.');
    fake.assertComplete();
  });

  it('rejects a thinking block whose text was changed', async () => {
    const fake = await start();
    const content = await thinkingTurn(fake);
    const edited = content.map((b) => (b.type === 'thinking' ? { ...b, thinking: `${b.thinking} (edited)` } : b));
    const err = await rejection(client(fake).messages.create({ model: 'm', max_tokens: 100, system, tools, messages: followUp(edited) }));
    expect(err).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect(err.message).toContain('messages.1.content.0: Invalid `signature` in `thinking` block');
  });

  it('rejects a thinking block resent under another system prompt', async () => {
    const fake = await start();
    const content = await thinkingTurn(fake);
    const err = await rejection(client(fake).messages.create({ model: 'm', max_tokens: 100, system: 'You are careful. Today is tomorrow.', tools, messages: followUp(content) }));
    expect(err).toMatchObject({ status: 400, type: 'invalid_request_error' });
  });

  it('rejects a thinking block resent with another tool list', async () => {
    const fake = await start();
    const content = await thinkingTurn(fake);
    const more: Tool[] = [...tools, { name: 'Grep', description: 'Search', input_schema: { type: 'object', properties: {} } }];
    const err = await rejection(client(fake).messages.create({ model: 'm', max_tokens: 100, system, tools: more, messages: followUp(content) }));
    expect(err.status).toBe(400);
  });

  it('rejects a thinking block resent after an earlier message changed', async () => {
    const fake = await start();
    const content = await thinkingTurn(fake);
    const messages = followUp(content);
    messages[0] = { role: 'user', content: [{ type: 'text', text: 'Read /b' }] };
    const err = await rejection(client(fake).messages.create({ model: 'm', max_tokens: 100, system, tools, messages }));
    expect(err.status).toBe(400);
  });

  it('rejects a signature it never issued', async () => {
    const fake = await start();
    const forged = [{ type: 'thinking', thinking: 'I should read /a first.', signature: 'made-up' }, { type: 'tool_use', id: 'tu_1', name: 'Read', input: { path: '/a' } }];
    const err = await rejection(client(fake).messages.create({ model: 'm', max_tokens: 100, system, tools, messages: followUp(forged) }));
    expect(err.status).toBe(400);
    expect(fake.unexpected).toHaveLength(1);
  });
});

describe('cache breakpoints', () => {
  const cc = { type: 'ephemeral' as const };

  it('rejects a fifth cache_control marker', async () => {
    const fake = await start();
    const messages: MessageParam[] = [1, 2, 3, 4, 5].map((n) => ({ role: n % 2 ? 'user' : 'assistant', content: [{ type: 'text', text: `m${n}`, cache_control: cc }] }) as MessageParam);
    const err = await rejection(client(fake).messages.create({ model: 'm', max_tokens: 10, messages }));
    expect(err).toMatchObject({ status: 400, type: 'invalid_request_error' });
    expect(err.message).toContain('A maximum of 4 blocks with cache_control may be provided. Found 5.');
  });

  it('rejects cache_control on a thinking block', async () => {
    const fake = await start();
    const content = await thinkingTurn(fake);
    const marked = content.map((b) => (b.type === 'thinking' ? { ...b, cache_control: cc } : b));
    const err = await rejection(client(fake).messages.create({ model: 'm', max_tokens: 100, system, tools, messages: followUp(marked) }));
    expect(err.message).toContain('cache_control cannot be set for thinking blocks');
  });

  it('rejects cache_control on an empty text block', async () => {
    const fake = await start();
    const err = await rejection(client(fake).messages.create({ model: 'm', max_tokens: 10, messages: [{ role: 'user', content: [{ type: 'text', text: '', cache_control: cc }] }] }));
    expect(err.message).toContain('empty text blocks');
  });
});

describe('effort', () => {
  it('rejects an effort level the API does not document, and accepts a documented one', async () => {
    const fake = await start();
    const bad = { model: 'm', max_tokens: 10, messages: [first], output_config: { effort: 'extreme' } } as unknown as Parameters<Anthropic['messages']['create']>[0];
    const err = await rejection(client(fake).messages.create(bad));
    expect(err.message).toContain('output_config.effort');
    fake.script(text('ok'));
    const ok = await client(fake).messages.create({ model: 'm', max_tokens: 10, messages: [first], output_config: { effort: 'max' } });
    expect(ok.content).toMatchObject([{ type: 'text', text: 'ok' }]);
  });
});

describe('errors and refusals', () => {
  it.each([
    ['billing_error', 402],
    ['not_found_error', 404],
    ['request_too_large', 413],
    ['overloaded_error', 529],
  ] as const)('answers %s with status %i and the API body', async (type, status) => {
    const fake = await start();
    fake.script(apiError(type));
    const err = await rejection(client(fake).messages.create({ model: 'm', max_tokens: 10, messages: [first] }));
    expect(err).toMatchObject({ status, type });
  });

  it('sends stop_details with category and explanation in message_delta on a refusal', async () => {
    const fake = await start();
    fake.script(reply([text('I can’t help with that.')], { stop_reason: 'refusal', stop_details: { category: 'cyber', explanation: 'This looks like exploit development.' } }));
    const deltas: unknown[] = [];
    const stream = client(fake).messages.stream({ model: 'm', max_tokens: 10, messages: [first] });
    stream.on('streamEvent', (e) => {
      if (e.type === 'message_delta') deltas.push(e.delta);
    });
    const message = await stream.finalMessage();
    expect(deltas).toEqual([expect.objectContaining({ stop_reason: 'refusal', stop_details: { type: 'refusal', category: 'cyber', explanation: 'This looks like exploit development.' } })]);
    expect(message.stop_details).toEqual({ type: 'refusal', category: 'cyber', explanation: 'This looks like exploit development.' });
  });
});
