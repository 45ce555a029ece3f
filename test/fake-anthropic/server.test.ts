import Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming, RawMessageStreamEvent } from '@anthropic-ai/sdk/resources/messages';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  delay,
  hang,
  httpError,
  malformedSse,
  rawStream,
  reply,
  slowStream,
  startFakeAnthropic,
  streamCut,
  streamError,
  text,
  thinking,
  toolUse,
  type FakeAnthropic,
  type FakeAnthropicOptions,
} from './server.js';

const servers: FakeAnthropic[] = [];

async function start(options?: FakeAnthropicOptions): Promise<FakeAnthropic> {
  const fake = await startFakeAnthropic(options);
  servers.push(fake);
  return fake;
}

afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  vi.unstubAllEnvs();
});

function clientFor(
  fake: FakeAnthropic,
  options: { apiKey?: string; maxRetries?: number; logLevel?: 'off' } = {},
): Anthropic {
  return new Anthropic({ apiKey: 'test-key', baseURL: fake.url, maxRetries: 0, ...options });
}

const params: MessageCreateParamsNonStreaming = {
  model: 'claude-test-1',
  max_tokens: 1024,
  system: 'You are a fake-driven test.',
  messages: [{ role: 'user', content: 'Look at /x' }],
};

describe('streaming replies', () => {
  it('reassembles streamed text, tool_use input and usage into the final message', async () => {
    const fake = await start({ apiKey: 'test-key' });
    const input = { file_path: '/x/some/long/path/to/a/file.ts', limit: 20, nested: { ok: true, list: [1, 2, 3] } };
    fake.script(
      reply([text('Let me look at that file for you.'), toolUse('Read', input, 'toolu_given')], {
        usage: { input_tokens: 120, output_tokens: 45, cache_read_input_tokens: 100, cache_creation_input_tokens: 7 },
      }),
    );
    const events: RawMessageStreamEvent[] = [];
    const stream = clientFor(fake).messages.stream(params);
    stream.on('streamEvent', (event) => events.push(event));

    const message = await stream.finalMessage();

    expect(message).toMatchObject({
      id: 'msg_fake_1',
      model: 'claude-test-1',
      role: 'assistant',
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'Let me look at that file for you.' },
        { type: 'tool_use', id: 'toolu_given', name: 'Read', input },
      ],
      usage: { input_tokens: 120, output_tokens: 45, cache_read_input_tokens: 100, cache_creation_input_tokens: 7 },
    });
    const deltas = events.filter((e) => e.type === 'content_block_delta').map((e) => e.delta.type);
    expect(deltas.filter((t) => t === 'text_delta').length).toBeGreaterThan(1);
    expect(deltas.filter((t) => t === 'input_json_delta').length).toBeGreaterThan(2);
    expect(events.map((e) => e.type)).toEqual([
      'message_start',
      'content_block_start',
      ...deltas.slice(0, deltas.indexOf('input_json_delta')).map(() => 'content_block_delta'),
      'content_block_stop',
      'content_block_start',
      ...deltas.slice(deltas.indexOf('input_json_delta')).map(() => 'content_block_delta'),
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(stream.request_id).toBe('req_fake_1');
    fake.assertComplete();
  });

  it('records the request body, path and Bearer header the SDK sent', async () => {
    const fake = await start();
    fake.script(text('hi'));
    await clientFor(fake).messages.stream(params).finalMessage();

    const [request] = fake.requests;
    expect(request?.path).toBe('/v1/messages');
    expect(request?.headers.authorization).toBe('Bearer test-key');
    expect(request?.headers['anthropic-version']).toBeTruthy();
    expect(request?.body).toMatchObject({ model: 'claude-test-1', stream: true, system: 'You are a fake-driven test.' });
  });

  it('defaults stop_reason to end_turn and numbers tool ids per server', async () => {
    const fake = await start();
    fake.script(text('done'), reply([toolUse('Glob', { pattern: '*.ts' }), toolUse('Grep', { pattern: 'x' })]));
    const client = clientFor(fake);

    const first = await client.messages.stream(params).finalMessage();
    const second = await client.messages.stream(params).finalMessage();

    expect(first.stop_reason).toBe('end_turn');
    expect(second).toMatchObject({
      id: 'msg_fake_2',
      stop_reason: 'tool_use',
      content: [
        { type: 'tool_use', id: 'toolu_fake_1', input: { pattern: '*.ts' } },
        { type: 'tool_use', id: 'toolu_fake_2', input: { pattern: 'x' } },
      ],
    });
    expect(first.usage.output_tokens).toBeGreaterThan(0);
    expect(first.usage.input_tokens).toBeGreaterThan(0);
  });

  it('streams thinking blocks with their signature', async () => {
    const fake = await start();
    fake.script(reply([thinking('Considering the options at length.', 'sig-1'), text('Answer.')]));

    const message = await clientFor(fake).messages.stream(params).finalMessage();

    expect(message.content).toMatchObject([
      { type: 'thinking', thinking: 'Considering the options at length.', signature: 'sig-1' },
      { type: 'text', text: 'Answer.' },
    ]);
  });

  it('lets a function step answer from the request', async () => {
    const fake = await start();
    fake.script((request) => text(`system was: ${JSON.stringify(request.body.system)}`));

    const finalText = await clientFor(fake).messages.stream(params).finalText();

    expect(finalText).toBe('system was: "You are a fake-driven test."');
  });

  it('answers after delay() and slowStream() with the same message', async () => {
    const fake = await start();
    fake.script(delay(5, text('late')), slowStream(text('slowly streamed text'), { chunkDelayMs: 2 }));
    const client = clientFor(fake);

    expect(await client.messages.stream(params).finalText()).toBe('late');
    expect(await client.messages.stream(params).finalText()).toBe('slowly streamed text');
  });

  it('is reachable through ANTHROPIC_BASE_URL', async () => {
    const fake = await start();
    fake.script(text('via env'));
    vi.stubEnv('ANTHROPIC_BASE_URL', fake.url);

    const client = new Anthropic({ apiKey: 'test-key', maxRetries: 0 });

    expect(await client.messages.stream(params).finalText()).toBe('via env');
  });
});

describe('non-streaming replies', () => {
  it('returns the message as JSON with the request-id header', async () => {
    const fake = await start();
    fake.script(reply([text('plain JSON'), toolUse('Read', { file_path: '/x' })], { usage: { output_tokens: 9 } }));

    const message = await clientFor(fake).messages.create(params);

    expect(message).toMatchObject({
      id: 'msg_fake_1',
      type: 'message',
      model: 'claude-test-1',
      stop_reason: 'tool_use',
      content: [
        { type: 'text', text: 'plain JSON' },
        { type: 'tool_use', id: 'toolu_fake_1', name: 'Read', input: { file_path: '/x' } },
      ],
      usage: { output_tokens: 9, cache_read_input_tokens: 0 },
    });
    expect(message._request_id).toBe('req_fake_1');
    expect(fake.requests[0]?.body?.stream).toBeUndefined();
  });
});

describe('faults', () => {
  it('surfaces a 429 as RateLimitError with retry-after and the error body', async () => {
    const fake = await start();
    fake.script(httpError(429, { type: 'rate_limit_error', message: 'Slow down' }, { retryAfter: 0 }));

    const error = await clientFor(fake).messages.create(params).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    const rateLimit = error as InstanceType<typeof Anthropic.RateLimitError>;
    expect(rateLimit.status).toBe(429);
    expect(rateLimit.headers?.get('retry-after')).toBe('0');
    expect(rateLimit.headers?.get('x-should-retry')).toBe('true');
    expect(rateLimit.requestID).toBe('req_fake_1');
    expect(rateLimit.error).toEqual({
      type: 'error',
      error: { type: 'rate_limit_error', message: 'Slow down' },
      request_id: 'req_fake_1',
    });
  });

  it('lets the SDK retry a 429 and succeed on the next step', async () => {
    const fake = await start();
    fake.script(httpError(429, { type: 'rate_limit_error', message: 'Slow down' }, { retryAfterMs: 1 }), text('after retry'));

    const finalText = await clientFor(fake, { maxRetries: 2 }).messages.stream(params).finalText();

    expect(finalText).toBe('after retry');
    expect(fake.requests.map((r) => r.headers['x-stainless-retry-count'])).toEqual(['0', '1']);
    fake.assertComplete();
  });

  it('answers a wrong key with 401 AuthenticationError without consuming a step', async () => {
    const fake = await start({ apiKey: 'right-key' });
    fake.script(text('never sent'));

    const error = await clientFor(fake, { apiKey: 'wrong-key' }).messages.create(params).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as InstanceType<typeof Anthropic.AuthenticationError>).error).toMatchObject({
      type: 'error',
      error: { type: 'authentication_error' },
    });
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer wrong-key');
    expect(fake.remaining).toBe(1);
  });

  it('accepts an authToken, which the SDK also sends as Bearer', async () => {
    const fake = await start({ apiKey: 'tok-1' });
    fake.script(text('ok'));

    const client = new Anthropic({ authToken: 'tok-1', apiKey: null, baseURL: fake.url, maxRetries: 0 });

    expect(await client.messages.stream(params).finalText()).toBe('ok');
    expect(fake.requests[0]?.headers.authorization).toBe('Bearer tok-1');
  });

  it('makes the SDK stream throw when streamCut destroys the socket', async () => {
    const fake = await start();
    fake.script(streamCut(4));
    const events: string[] = [];
    const stream = clientFor(fake).messages.stream(params);
    stream.on('streamEvent', (e) => events.push(e.type));

    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.AnthropicError);
    // 4 frames = message_start, ping (not a stream event), content_block_start, one delta.
    expect(events).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
  });

  it('makes a non-streaming create fail when streamCut truncates the JSON', async () => {
    const fake = await start();
    fake.script(streamCut(0));

    await expect(clientFor(fake).messages.create(params)).rejects.toThrow();
  });

  it('surfaces a mid-stream error event as an APIError of that type', async () => {
    const fake = await start();
    fake.script(streamError({ type: 'overloaded_error', message: 'Overloaded' }));

    const error = await clientFor(fake).messages.stream(params).finalMessage().catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect((error as InstanceType<typeof Anthropic.APIError>).type).toBe('overloaded_error');
    expect((error as InstanceType<typeof Anthropic.APIError>).status).toBeUndefined();
  });

  it('makes the SDK fail on malformed SSE', async () => {
    const fake = await start();
    fake.script(malformedSse());

    // logLevel off: the SDK logs the unparsable chunk before throwing.
    const stream = clientFor(fake, { logLevel: 'off' }).messages.stream(params);

    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.AnthropicError);
  });

  it('sends a raw event sequence verbatim, and ends, cuts or stalls after it', async () => {
    const fake = await start();
    const start_ = 'event: message_start\ndata: {"type":"message_start","message":{"id":"m","type":"message","role":"assistant","model":"x","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":1,"output_tokens":1}}}\n\n';
    const tail = 'event: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":1}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n';
    fake.script(rawStream(start_ + tail), rawStream(start_, { then: 'cut' }), rawStream(start_, { then: 'stall' }));
    const client = clientFor(fake);

    expect(await client.messages.stream(params).finalMessage()).toMatchObject({ id: 'm', content: [], stop_reason: 'end_turn' });
    await expect(client.messages.stream(params).finalMessage()).rejects.toBeInstanceOf(Anthropic.AnthropicError);
    const stalled = client.messages.stream(params);
    const firstEvent = new Promise<string>((resolve) => stalled.once('streamEvent', (e) => resolve(e.type)));
    const pending = stalled.finalMessage().catch((e: unknown) => e);
    // The stream stays open after its first event until the server lets go.
    expect(await firstEvent).toBe('message_start');
    await fake.close();
    expect(await pending).toBeInstanceOf(Anthropic.AnthropicError);
  });

  it('releases a hanging response on close, failing the client promptly', async () => {
    const fake = await start();
    fake.script(hang());
    const pending = clientFor(fake).messages.create(params).catch((e: unknown) => e);
    await fake.waitForRequests(1);

    await fake.close();

    expect(await pending).toBeInstanceOf(Anthropic.APIConnectionError);
  });

  it('releases a hanging response when the client aborts', async () => {
    const fake = await start();
    fake.script(hang(), text('still serving'));
    const controller = new AbortController();
    const client = clientFor(fake);
    const pending = client.messages.stream(params, { signal: controller.signal }).finalMessage().catch((e: unknown) => e);
    await fake.waitForRequests(1);

    controller.abort();

    expect(await pending).toBeInstanceOf(Anthropic.APIUserAbortError);
    expect(await client.messages.stream(params).finalText()).toBe('still serving');
  });
});

describe('script bookkeeping', () => {
  it('answers an unscripted request with 500, records it, and does not invite a retry', async () => {
    const fake = await start();

    const error = await clientFor(fake, { maxRetries: 2 }).messages.create(params).catch((e: unknown) => e);

    expect(error).toBeInstanceOf(Anthropic.InternalServerError);
    expect(String(error)).toContain('fake-anthropic: unexpected request #1');
    expect(fake.requests).toHaveLength(1);
    expect(fake.unexpected.map((u) => u.request.index)).toEqual([1]);
    expect(() => fake.assertComplete()).toThrow(/unexpected request #1/);
  });

  it('fails assertComplete while scripted steps remain', async () => {
    const fake = await start();
    fake.script(text('one'), toolUse('Read', { file_path: '/y' }));
    await clientFor(fake).messages.create(params);

    expect(() => fake.assertComplete()).toThrow(/1 scripted step\(s\) never requested: toolUse\("Read"\)/);
  });

  it('stamps each request with its arrival and, once answered in full, when its response finished', async () => {
    const fake = await start();
    fake.script(text('one'), text('two'), streamCut(2));
    const client = clientFor(fake);
    await client.messages.create(params);
    await client.messages.stream(params).finalMessage();
    await client.messages.stream(params).finalMessage().catch(() => undefined);

    const [first, second, cut] = fake.requests;
    expect(first?.respondedAt).toBeGreaterThanOrEqual(first?.receivedAt ?? Infinity);
    expect(second?.receivedAt).toBeGreaterThanOrEqual(first?.respondedAt ?? Infinity);
    expect(second?.respondedAt).toBeGreaterThanOrEqual(second?.receivedAt ?? Infinity);
    expect(cut?.receivedAt).toBeGreaterThanOrEqual(second?.respondedAt ?? Infinity);
    expect(cut?.respondedAt).toBeUndefined();
  });

  it('records requests to unknown paths as unexpected', async () => {
    const fake = await start();

    const response = await fetch(`${fake.url}/v1/complete`, { method: 'POST', body: '{}' });

    expect(response.status).toBe(404);
    expect(await response.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect(fake.unexpected[0]?.reason).toContain('/v1/complete');
  });
});
