import matter from 'gray-matter';
import { describe, expect, it } from 'vitest';
import { isRecord, parseYamlStrict } from './yaml.js';

describe('parseYamlStrict', () => {
  it('parses YAML with types', () => {
    expect(parseYamlStrict('a: 1\nb: [x]\nc: "t"')).toEqual({ ok: true, data: { a: 1, b: ['x'], c: 't' } });
  });

  it('reports the 0-based line of a syntax error', () => {
    expect(parseYamlStrict('a: 1\nb: x: y')).toMatchObject({ ok: false, line: 1, reason: expect.any(String) });
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
