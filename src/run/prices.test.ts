import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_PRICES, costOfRequest, findPrice, loadPriceFile } from './prices.js';
import { emptyUsage } from './usage.js';

const MTOK = 1_000_000;

describe('the price table', () => {
  it('prices a dated id by its family and prefers the longest prefix', () => {
    expect(findPrice(BUILTIN_PRICES, 'claude-haiku-4-5-20251001')?.prefix).toBe('claude-haiku-4-5');
    expect(findPrice(BUILTIN_PRICES, 'claude-opus-4-1')?.price.input).toBe(15);
    expect(findPrice(BUILTIN_PRICES, 'claude-opus-4-5')?.price.input).toBe(5);
  });

  it('gives every entry the date it was read and its source', () => {
    for (const e of BUILTIN_PRICES.entries) {
      expect(e.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(e.source).toMatch(/^https:\/\//);
    }
  });

  it('charges 1M in + 1M out on claude-fable-5-2 exactly $48.00, and its cache reads $0.20 per MTok', () => {
    expect(costOfRequest(BUILTIN_PRICES, 'claude-fable-5-2', { ...emptyUsage(), input_tokens: MTOK, output_tokens: MTOK })).toBe(48);
    expect(costOfRequest(BUILTIN_PRICES, 'claude-fable-5-2', { ...emptyUsage(), cache_read_input_tokens: MTOK })).toBeCloseTo(0.2, 10);
  });

  it('charges input, output, cache writes and cache reads at their own rates', () => {
    const usage = { input_tokens: MTOK, output_tokens: MTOK, cache_creation_input_tokens: MTOK, cache_read_input_tokens: MTOK };
    expect(costOfRequest(BUILTIN_PRICES, 'claude-opus-4-5', usage)).toBeCloseTo(5 + 25 + 6.25 + 0.5, 6);
  });

  it('prices a Haiku 5.5 request over 100k prompt tokens at the long-context rates on every token, and one under at the base rates', () => {
    const small = { ...emptyUsage(), input_tokens: 100_000, output_tokens: 10_000 };
    const large = { ...emptyUsage(), input_tokens: 60_000, cache_read_input_tokens: 50_000, output_tokens: 10_000 };
    expect(costOfRequest(BUILTIN_PRICES, 'claude-haiku-5-5', small)).toBeCloseTo((100_000 * 0.1 + 10_000 * 0.5) / MTOK, 10);
    expect(costOfRequest(BUILTIN_PRICES, 'claude-haiku-5-5', large)).toBeCloseTo((60_000 * 0.5 + 50_000 * 0.05 + 10_000 * 2.5) / MTOK, 10);
  });

  it('adds $0.01 per web search', () => {
    expect(costOfRequest(BUILTIN_PRICES, 'claude-sonnet-5-5', { ...emptyUsage(), web_search_requests: 3 })).toBeCloseTo(0.03, 10);
  });

  it('has no price (null, not 0) for a model it does not know', () => {
    expect(costOfRequest(BUILTIN_PRICES, 'some-local-model', { ...emptyUsage(), input_tokens: 1000 })).toBeNull();
  });
});

describe('a --prices file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'prices-'));
  const file = (name: string, json: unknown): string => {
    const p = path.join(dir, name);
    writeFileSync(p, JSON.stringify(json));
    return p;
  };

  it('replaces a built-in entry, adds a new model, and keeps the rest', () => {
    const table = loadPriceFile(file('ok.json', { date: '2026-12-01', models: { 'claude-fable-5-2': { input: 6, output: 30 }, 'my-model': { input: 1, output: 2, cache_read: 0.05 } } }));
    expect(findPrice(table, 'claude-fable-5-2')).toMatchObject({ date: '2026-12-01', price: { input: 6, output: 30, cacheWrite: 7.5 } });
    expect(findPrice(table, 'claude-fable-5-2')?.price.cacheRead).toBeCloseTo(0.6, 10);
    expect(findPrice(table, 'my-model-v1')?.price.cacheRead).toBe(0.05);
    expect(findPrice(table, 'claude-opus-4-5')?.price.input).toBe(5);
  });

  it('is refused with the file named and the field at fault', () => {
    const bad = file('bad.json', { date: '2026-12-01', models: { m: { input: 'cheap', output: 1 } } });
    expect(() => loadPriceFile(bad)).toThrow(/price file .*bad\.json is not valid: models\.m\.input/);
    expect(() => loadPriceFile(path.join(dir, 'missing.json'))).toThrow(/Cannot read the price file .*missing\.json/);
  });
});
