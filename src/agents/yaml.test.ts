import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { exceedsExpansion, isRecord, parseYamlStrict } from './yaml.js';

/** Nine levels of nine aliases each: 9^9 (387 million) strings once expanded, from ~400 bytes. */
const BILLION_LAUGHS = [
  'lol0: &a0 "lol"',
  ...Array.from({ length: 9 }, (_, i) => `lol${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`),
].join('\n');

describe('parseYamlStrict', () => {
  it('parses YAML with types', () => {
    expect(parseYamlStrict('a: 1\nb: [x]\nc: "t"')).toEqual({ ok: true, data: { a: 1, b: ['x'], c: 't' } });
  });

  it('reports the 0-based line of a syntax error', () => {
    expect(parseYamlStrict('a: 1\nb: x: y')).toMatchObject({ ok: false, line: 1, reason: expect.any(String) });
  });

  it('refuses a billion-laughs block instead of handing out an exponential alias graph', () => {
    const result = parseYamlStrict(`name: x\n${BILLION_LAUGHS}`);
    expect(result).toMatchObject({ ok: false, oversized: true, reason: expect.stringMatching(/aliases.*billion laughs/) });
  });

  it('keeps the few aliases real files might use', () => {
    const result = parseYamlStrict('base: &b [Read, Grep]\ntools: *b\nmore: [*b, *b]');
    expect(result).toEqual({ ok: true, data: { base: ['Read', 'Grep'], tools: ['Read', 'Grep'], more: [['Read', 'Grep'], ['Read', 'Grep']] } });
  });

  it('does not grow gray-matter’s input cache', () => {
    // gray-matter keeps every input parsed without options in `matter.cache` forever.
    const cache: unknown = Reflect.get(matter, 'cache');
    const size = (): number => (isRecord(cache) ? Object.keys(cache).length : -1);
    const before = size();
    for (let i = 0; i < 20; i++) parseYamlStrict(`n: ${i}`);
    expect(size()).toBe(before);
    expect(before).toBeGreaterThanOrEqual(0);
  });
});

describe('exceedsExpansion', () => {
  it('counts one per value plus every character of text and keys', () => {
    expect(exceedsExpansion({ ab: ['xyz', 1] }, 8)).toBe(false); // {} 1 + ab 2 + [] 1 + xyz 3 + 1 = 8
    expect(exceedsExpansion({ ab: ['xyz', 1] }, 7)).toBe(true);
  });

  it('stops at the budget on a shared graph and on deep nesting without recursing', () => {
    let shared: unknown = 'x';
    for (let i = 0; i < 40; i++) shared = [shared, shared]; // 2^40 leaves
    expect(exceedsExpansion(shared, 10_000)).toBe(true);
    let deep: unknown = 'x';
    for (let i = 0; i < 200_000; i++) deep = [deep];
    expect(exceedsExpansion(deep, 1_000_000)).toBe(false);
  });
});
