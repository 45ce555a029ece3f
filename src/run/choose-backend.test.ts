import { describe, expect, it } from 'vitest';
import { createAnthropicClient } from './anthropic.js';
import { chooseModelClient } from './choose-backend.js';
import { ModelError } from './model.js';
import type { SamplingAccess } from './sampling.js';

// Neither client is called here: the choice only decides which one a call gets.
const anthropic = createAnthropicClient({ apiKey: 'k-never-used', baseURL: 'http://127.0.0.1:9' });
const withTools: SamplingAccess = { tools: true, createMessage: () => Promise.reject(new Error('not called')) };

function backendOf(client: ReturnType<typeof chooseModelClient>): string {
  return client instanceof ModelError ? `error:${client.kind}` : client.backend;
}

describe('chooseModelClient', () => {
  it('auto: Anthropic when credentials are set, else sampling, else an error naming both options', () => {
    expect(backendOf(chooseModelClient({ mode: 'auto', anthropic, sampling: withTools }))).toBe('anthropic');
    expect(backendOf(chooseModelClient({ mode: 'auto', anthropic: undefined, sampling: withTools }))).toBe('sampling');
    expect(backendOf(chooseModelClient({ mode: 'auto', anthropic: undefined, sampling: { ...withTools, tools: false } }))).toBe('sampling');
    const none = chooseModelClient({ mode: 'auto', anthropic: undefined, sampling: undefined });
    expect(none).toBeInstanceOf(ModelError);
    const error = none as ModelError;
    expect(error.kind).toBe('no_backend');
    expect(error.advice).toContain('ANTHROPIC_API_KEY');
    expect(error.advice).toContain('sampling with tools');
  });

  it('anthropic: never falls back to sampling', () => {
    expect(backendOf(chooseModelClient({ mode: 'anthropic', anthropic, sampling: withTools }))).toBe('anthropic');
    expect(backendOf(chooseModelClient({ mode: 'anthropic', anthropic: undefined, sampling: withTools }))).toBe('error:no_credentials');
  });

  it('sampling: uses the client even when credentials are set, and says so when the client has none', () => {
    expect(backendOf(chooseModelClient({ mode: 'sampling', anthropic, sampling: withTools }))).toBe('sampling');
    const refused = chooseModelClient({ mode: 'sampling', anthropic, sampling: undefined });
    expect(backendOf(refused)).toBe('error:sampling_unsupported');
    expect((refused as ModelError).message).toContain('did not declare the sampling capability');
  });
});
