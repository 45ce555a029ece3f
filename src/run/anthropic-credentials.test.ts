/** Which credential the Anthropic client sends when the environment holds several. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { reply, text } from '../../test/fake-anthropic/steps.js';
import { createAnthropicClient } from './anthropic.js';

const KEY = 'k-credentials-key';
const TOKEN = 't-credentials-token';
let fake: FakeAnthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
});
afterAll(async () => {
  await fake?.close();
});

describe('Anthropic credentials', () => {
  it('with both an API key and an auth token, sends the key only (the SDK refuses both at once)', async () => {
    fake.script(reply([text('hi')]));
    const client = createAnthropicClient({ apiKey: KEY, authToken: TOKEN, baseURL: fake.url, maxRetries: 0 });
    const response = await client.turn({ model: 'claude-sonnet-5-5', system: '', messages: [{ role: 'user', content: [{ type: 'text', text: 'hello' }] }], tools: [], maxTokens: 100 }, { signal: new AbortController().signal });
    expect(response.stopReason).toBe('end_turn');
    const headers = fake.requests.at(-1)!.headers;
    // SDK 1.12 sends an API key as a bearer token too; either way it is the key, never the token.
    expect(headers['x-api-key'] ?? headers.authorization).toMatch(new RegExp(`^(Bearer )?${KEY}$`));
    expect(JSON.stringify(headers)).not.toContain(TOKEN);
    fake.assertComplete();
  });
});
