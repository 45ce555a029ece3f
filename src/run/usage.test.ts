import { describe, expect, it } from 'vitest';
import { addUsage, emptyUsage } from './usage.js';

describe('usage', () => {
  it('adds usages field by field', () => {
    const a = { input_tokens: 1, output_tokens: 2, cache_creation_input_tokens: 3, cache_read_input_tokens: 4 };
    expect(addUsage(a, a)).toEqual({ input_tokens: 2, output_tokens: 4, cache_creation_input_tokens: 6, cache_read_input_tokens: 8 });
    expect(addUsage(emptyUsage(), a)).toEqual(a);
  });

  it('adds web searches only when there were any', () => {
    const a = { ...emptyUsage(), web_search_requests: 2 };
    expect(addUsage(a, { ...emptyUsage(), web_search_requests: 3 }).web_search_requests).toBe(5);
    expect(addUsage(emptyUsage(), emptyUsage())).not.toHaveProperty('web_search_requests');
  });
});
