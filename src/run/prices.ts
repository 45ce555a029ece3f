/**
 * What a model's tokens cost: the price table (each entry with the date it was read and where),
 * how one request is priced (long-context bands, server-tool fees), and the `--prices FILE`
 * override that updates it without a release. `cost_usd` feeds `--max-cost-usd`, so a model
 * the table does not know costs `null`, never $0.
 * @see https://platform.claude.com/docs/en/about-claude/pricing
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Usage } from './usage.js';

/** USD per million tokens for one band of a model. Cache writes are the 5-minute TTL rate (the API default). */
export interface TokenRates {
  input: number;
  output: number;
  cacheWrite: number;
  cacheRead: number;
}

/** The price of a model family. */
export interface ModelPrice extends TokenRates {
  /**
   * A dearer band for long prompts: a request whose prompt (input + cache writes + cache reads)
   * is over `aboveTokens` pays these rates on every token of that request, output included.
   */
  longContext?: TokenRates & { aboveTokens: number };
  /** USD per web search the API ran for the request (server tool `web_search`). */
  webSearchPerRequest: number;
}

/** One row of the table: a model-id prefix, its price, and when and where the price was read. */
export interface PriceEntry {
  prefix: string;
  price: ModelPrice;
  /** ISO date the price was read from `source`. */
  date: string;
  source: string;
}

/** Prices matched by model-id prefix; the longest matching prefix wins. */
export interface PriceTable {
  entries: readonly PriceEntry[];
}

/** Where the built-in prices were read. */
export const PRICES_SOURCE = 'https://platform.claude.com/docs/en/about-claude/pricing';
/** The day the built-in table was last checked against {@link PRICES_SOURCE}. */
export const PRICES_CHECKED = '2026-11-30';
/** USD per web search: $10 per 1,000 searches, on every model (web fetch has no fee). */
export const WEB_SEARCH_USD = 0.01;
/** `AGENTS_MCP_PRICES`: a price file, like `--prices FILE` (the flag wins). */
export const PRICES_ENV = 'AGENTS_MCP_PRICES';

/** Rates where cache writes cost 1.25× input (5-minute TTL) and cache reads `cacheRead`. */
function rates(input: number, output: number, cacheRead: number): TokenRates {
  return { input, output, cacheWrite: input * 1.25, cacheRead };
}

function entry(prefix: string, r: TokenRates, date = PRICES_CHECKED, extra: Partial<ModelPrice> = {}): PriceEntry {
  return { prefix, price: { ...r, webSearchPerRequest: WEB_SEARCH_USD, ...extra }, date, source: PRICES_SOURCE };
}

/** List prices (USD per million tokens) as published; see docs/caching.md for the table. */
export const BUILTIN_PRICES: PriceTable = {
  entries: [
    entry('claude-fable-5-2', rates(8, 40, 0.2), '2026-11-09'),
    entry('claude-mythos-5-2', rates(8, 40, 0.2), '2026-11-09'),
    entry('claude-fable-5-1', rates(10, 50, 0.25)),
    entry('claude-mythos-5-1', rates(10, 50, 0.25)),
    entry('claude-fable-5', rates(10, 50, 1)),
    entry('claude-mythos-5', rates(10, 50, 1)),
    entry('claude-opus-5-5', rates(4, 20, 0.2)),
    entry('claude-opus-5', rates(5, 25, 0.5)),
    entry('claude-opus-4-8', rates(5, 25, 0.5)),
    entry('claude-opus-4-7', rates(5, 25, 0.5)),
    entry('claude-opus-4-6', rates(5, 25, 0.5)),
    entry('claude-opus-4-5', rates(5, 25, 0.5)),
    entry('claude-opus-4', rates(15, 75, 1.5)),
    entry('claude-sonnet-5-5', rates(2, 10, 0.1)),
    entry('claude-sonnet-5', rates(2, 10, 0.2)),
    entry('claude-sonnet-4', rates(3, 15, 0.3)),
    entry('claude-haiku-5-5', rates(0.1, 0.5, 0.01), PRICES_CHECKED, { longContext: { aboveTokens: 100_000, ...rates(0.5, 2.5, 0.05) } }),
    entry('claude-haiku-4-5', rates(1, 5, 0.1)),
    entry('claude-3-5-haiku', rates(0.8, 4, 0.08)),
  ],
};

/** The entry for a model id, or undefined when the table does not know it. */
export function findPrice(table: PriceTable, model: string): PriceEntry | undefined {
  let best: PriceEntry | undefined;
  for (const e of table.entries) {
    if (model.startsWith(e.prefix) && (!best || e.prefix.length > best.prefix.length)) best = e;
  }
  return best;
}

/** The prompt size of one request, as the long-context band counts it. */
function promptTokens(usage: Usage): number {
  return usage.input_tokens + usage.cache_creation_input_tokens + usage.cache_read_input_tokens;
}

/** USD of one request's `usage` at `price`: the band its prompt falls in, plus web search fees. */
export function priceRequest(price: ModelPrice, usage: Usage): number {
  const band = price.longContext && promptTokens(usage) > price.longContext.aboveTokens ? price.longContext : price;
  const tokens =
    usage.input_tokens * band.input +
    usage.output_tokens * band.output +
    usage.cache_creation_input_tokens * band.cacheWrite +
    usage.cache_read_input_tokens * band.cacheRead;
  return tokens / 1_000_000 + (usage.web_search_requests ?? 0) * price.webSearchPerRequest;
}

/** USD of one request on `model`, or null when the table has no price for it. */
export function costOfRequest(table: PriceTable, model: string, usage: Usage): number | null {
  const found = findPrice(table, model);
  return found ? priceRequest(found.price, usage) : null;
}

/** The warning a run without a known price carries. */
export function unknownPriceWarning(model: string): string {
  return `No price is known for model ${model}, so cost_usd is null (not $0) and dollar limits cannot be checked. Add its price with --prices FILE (or ${PRICES_ENV}); see docs/caching.md.`;
}

const usd = z.number().nonnegative();
const RatesFileSchema = z.strictObject({ input: usd, output: usd, cache_write: usd.optional(), cache_read: usd.optional() });

/** One model in a price file: USD per million tokens (cache write defaults to 1.25× input, cache read to 0.1× input). */
const PriceFileEntrySchema = RatesFileSchema.extend({
  long_context: RatesFileSchema.extend({ above_prompt_tokens: z.number().int().positive() }).optional(),
  web_search_per_request: usd.optional(),
});

/**
 * A `--prices` file: `{ "date": "2026-12-01", "source": "…", "models": { "<model-id prefix>": { "input": 8, "output": 40, … } } }`.
 * Its models replace built-in entries of the same prefix and add new ones.
 */
export const PriceFileSchema = z.strictObject({
  date: z.string().min(1),
  source: z.string().min(1).optional(),
  models: z.record(z.string().min(1), PriceFileEntrySchema),
});

function toRates(r: z.infer<typeof RatesFileSchema>): TokenRates {
  return { input: r.input, output: r.output, cacheWrite: r.cache_write ?? r.input * 1.25, cacheRead: r.cache_read ?? r.input * 0.1 };
}

/** `base` with the models of a parsed price file laid over it. */
export function overlayPrices(base: PriceTable, file: z.infer<typeof PriceFileSchema>, source: string): PriceTable {
  const added: PriceEntry[] = Object.entries(file.models).map(([prefix, m]) => ({
    prefix,
    date: file.date,
    source: file.source ?? source,
    price: {
      ...toRates(m),
      webSearchPerRequest: m.web_search_per_request ?? WEB_SEARCH_USD,
      ...(m.long_context ? { longContext: { aboveTokens: m.long_context.above_prompt_tokens, ...toRates(m.long_context) } } : {}),
    },
  }));
  const replaced = new Set(added.map((e) => e.prefix));
  return { entries: [...base.entries.filter((e) => !replaced.has(e.prefix)), ...added] };
}

/**
 * The built-in table with `file` laid over it.
 * @throws Error naming the file and the problem when it cannot be read or is not a price file.
 */
export function loadPriceFile(file: string, base: PriceTable = BUILTIN_PRICES): PriceTable {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`Cannot read the price file ${file}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  const parsed = PriceFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`).join('; ');
    throw new Error(`The price file ${file} is not valid: ${problems}. Expected {"date": "YYYY-MM-DD", "models": {"<model id prefix>": {"input": …, "output": …}}}; see docs/caching.md.`);
  }
  return overlayPrices(base, parsed.data, file);
}
