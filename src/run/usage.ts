/**
 * Tokens and dollars. The price table lives here and only here: update it when Anthropic's
 * price list changes (https://platform.claude.com/docs/en/about-claude/pricing).
 */

/** Token counts in the Messages API's own names, so they map 1:1 to what the API reports. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** Usage of nothing. */
export function emptyUsage(): Usage {
  return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

/** The sum of two usages (a new object). */
export function addUsage(a: Usage, b: Usage): Usage {
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_creation_input_tokens: a.cache_creation_input_tokens + b.cache_creation_input_tokens,
    cache_read_input_tokens: a.cache_read_input_tokens + b.cache_read_input_tokens,
  };
}

/** USD per million tokens. Cache writes are the 5-minute TTL rate (the API default). */
export interface Price {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

function price(input: number, output: number, cacheReadFactor = 0.1): Price {
  return { input, output, cacheWrite: input * 1.25, cacheRead: input * cacheReadFactor };
}

/**
 * List prices as published on 2026-11 (USD per million tokens), matched by model-id prefix;
 * the longest matching prefix wins, so dated ids (`claude-haiku-4-5-20251001`) find their family.
 */
export const PRICE_TABLE: ReadonlyArray<readonly [prefix: string, price: Price]> = [
  ['claude-fable-5-2', price(10, 50, 0.025)],
  ['claude-fable-5-1', price(10, 50, 0.025)],
  ['claude-mythos-5-2', price(10, 50, 0.025)],
  ['claude-mythos-5-1', price(10, 50, 0.025)],
  ['claude-fable-5', price(10, 50)],
  ['claude-mythos-5', price(10, 50)],
  ['claude-opus-5-5', price(4, 20, 0.05)],
  ['claude-opus-5', price(5, 25)],
  ['claude-opus-4-8', price(5, 25)],
  ['claude-opus-4-7', price(5, 25)],
  ['claude-opus-4-6', price(5, 25)],
  ['claude-opus-4-5', price(5, 25)],
  ['claude-opus-4', price(15, 75)],
  ['claude-sonnet-5-5', price(2, 10, 0.05)],
  ['claude-sonnet-5', price(2, 10)],
  ['claude-sonnet-4', price(3, 15)],
  ['claude-haiku-5-5', price(0.1, 0.5)],
  ['claude-haiku-4-5', price(1, 5)],
  ['claude-3-5-haiku', price(0.8, 4)],
];

/** The price of a model id, or undefined when the table does not know it. */
export function findPrice(model: string): Price | undefined {
  let best: readonly [string, Price] | undefined;
  for (const entry of PRICE_TABLE) {
    if (model.startsWith(entry[0]) && (!best || entry[0].length > best[0].length)) best = entry;
  }
  return best?.[1];
}

/** Cost in USD of `usage` on `model`; 0 when the model is not in the price table. */
export function costUsd(model: string, usage: Usage): number {
  const p = findPrice(model);
  if (!p) return 0;
  const micro =
    usage.input_tokens * p.input +
    usage.output_tokens * p.output +
    usage.cache_creation_input_tokens * p.cacheWrite +
    usage.cache_read_input_tokens * p.cacheRead;
  return micro / 1_000_000;
}
