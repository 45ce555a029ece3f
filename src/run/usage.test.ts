import { describe, expect, it } from 'vitest';
import { addUsage, costUsd, emptyUsage, findPrice } from './usage.js';

describe('usage and cost', () => {
  it('adds usages field by field', () => {
    const a = { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 3, cache_read_input_tokens: 4 };
    expect(addUsage(a, a)).toEqual({ input_tokens: 2, output_tokens: 4, cache_creation_input_tokens: 6, cache_read_input_tokens: 8 });
    expect(addUsage(emptyUsage(), a)).toEqual(a);
  });

  it('prices a dated id by its family and prefers the longest prefix', () => {
    expect(findPrice('claude-haiku-4-5-20251001')).toEqual(findPrice('claude-haiku-4-5'));
    expect(findPrice('claude-opus-4-1')?.input).toBe(15);
    expect(findPrice('claude-opus-4-5')?.input).toBe(5);
  });

  it('charges input, output, cache writes and cache reads at their own rates', () => {
    // Opus 4.5: $5 in, $25 out, writes 1.25x, reads 0.1x, per million tokens.
    const usage = { input_tokens: 1_000_000, output_tokens: 1_000_000, cache_creation_input_tokens: 1_000_000, cache_read_input_tokens: 1_000_000 };
    expect(costUsd('claude-opus-4-5', usage)).toBeCloseTo(5 + 25 + 6.25 + 0.5, 6);
  });

  it('costs nothing for a model the table does not know', () => {
    expect(costUsd('some-local-model', { ...emptyUsage(), input_tokens: 1000 })).toBe(0);
  });
});
