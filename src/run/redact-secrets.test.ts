import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it('masks every occurrence of each secret', () => {
    expect(redactSecrets('key sk-ant-12345678 and again sk-ant-12345678; tok-abcdefgh', ['sk-ant-12345678', 'tok-abcdefgh'])).toBe(
      'key [redacted] and again [redacted]; [redacted]',
    );
  });

  it('leaves text alone when no secret is in it, and ignores secrets too short to be told from words', () => {
    expect(redactSecrets('nothing to see', ['sk-ant-12345678'])).toBe('nothing to see');
    expect(redactSecrets('a short one: abc', ['abc'])).toBe('a short one: abc');
  });
});
