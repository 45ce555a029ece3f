import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from './log.js';
import { createRedactor, MIN_SECRET_CHARS, secretValues } from './redact.js';

const KEY = 'sk-ant-api03-abcdef0123456789';

describe('createRedactor', () => {
  it('masks every occurrence of each secret, alone and inside a longer string', () => {
    const r = createRedactor([KEY, 'tok-abcdefgh']);
    expect(r.text(`key ${KEY} again x${KEY}y; tok-abcdefgh`)).toBe('key [redacted] again x[redacted]y; [redacted]');
  });

  it('masks a secret split across lines, by spaces, or by JSON-escaped line breaks', () => {
    const r = createRedactor([KEY]);
    const folded = KEY.match(/.{1,10}/g)!.join('\n');
    expect(r.text(`ANTHROPIC_API_KEY=${folded}\n`)).toBe('ANTHROPIC_API_KEY=[redacted]\n');
    expect(r.text(KEY.match(/.{1,4}/g)!.join(' '))).toBe('[redacted]');
    expect(r.text(JSON.stringify({ out: folded }))).toBe('{"out":"[redacted]"}');
  });

  it(`masks a secret of exactly ${MIN_SECRET_CHARS} characters and leaves shorter ones (they would match words)`, () => {
    const exact = 'x'.repeat(MIN_SECRET_CHARS - 3) + 'Q7z';
    expect(exact).toHaveLength(MIN_SECRET_CHARS);
    expect(createRedactor([exact]).text(`a ${exact} b`)).toBe('a [redacted] b');
    expect(createRedactor(['abc']).text('a short one: abc')).toBe('a short one: abc');
  });

  it('masks the longer of two secrets that contain one another whole', () => {
    expect(createRedactor(['abcdefgh', 'abcdefgh-more-of-it']).text('abcdefgh-more-of-it')).toBe('[redacted]');
  });

  it('walks objects and arrays: a credential two levels deep is masked, other values kept', () => {
    const r = createRedactor([KEY]);
    const value = { a: { b: [{ c: `the key is ${KEY}` }], n: 3, ok: true } };
    expect(r.deep(value)).toEqual({ a: { b: [{ c: 'the key is [redacted]' }], n: 3, ok: true } });
  });
});

describe('secretValues', () => {
  it("takes credentials of an upstream server's env and headers by name, and the token of a Bearer header", () => {
    expect(secretValues({ GITHUB_TOKEN: 'ghp_1234567890', LOG_LEVEL: 'debug', Authorization: 'Bearer abcdefghijkl' })).toEqual([
      'ghp_1234567890',
      'Bearer abcdefghijkl',
      'abcdefghijkl',
    ]);
  });
});

describe('createLogger', () => {
  function capture(secrets: string[]): { logger: ReturnType<typeof createLogger>; lines: string[] } {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString('utf8'));
        done();
      },
    });
    return { logger: createLogger({ level: 'info', secrets, destination }), lines };
  }

  it('masks a configured secret wherever it sits in a logged object, two levels deep included', () => {
    const { logger, lines } = capture([KEY]);
    logger.info({ request: { options: { note: `sent ${KEY}` } } }, 'deep');
    logger.info({ request: { headers: { authorization: 'Bearer not-configured-but-named' } } }, 'by name');
    expect(lines.join('')).not.toContain(KEY);
    expect(lines.join('')).not.toContain('not-configured-but-named');
    expect(lines.join('')).toContain('[redacted]');
  });

  it('masks secret-named keys three levels down, leaves other keys, and never changes the logged object', () => {
    const { logger, lines } = capture([]);
    const logged = { apiKey: 'top-level-secret', a: { b: { 'x-api-key': 'third-level-secret', keep: 'visible-value' } } };
    logger.info(logged, 'by name');
    const line = JSON.parse(lines.join('')) as typeof logged;
    expect(line.apiKey).toBe('[redacted]');
    expect(line.a.b).toEqual({ 'x-api-key': '[redacted]', keep: 'visible-value' });
    expect(logged.a.b['x-api-key']).toBe('third-level-secret');
  });
});

describe('createRedactor().deep', () => {
  it('copies only what held a secret and returns clean parts as they were', () => {
    const r = createRedactor([KEY]);
    const clean = { text: 'nothing here', list: [1, 'two'] };
    const dirty = { note: `has ${KEY}` };
    const value = { clean, dirty };
    const masked = r.deep(value);
    expect(masked).toEqual({ clean, dirty: { note: 'has [redacted]' } });
    expect(masked.clean).toBe(clean);
    expect(r.deep(clean)).toBe(clean);
    expect(dirty.note).toContain(KEY);
  });
});
