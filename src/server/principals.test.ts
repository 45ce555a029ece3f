import { describe, expect, it } from 'vitest';
import { createPrincipalResolver, DEFAULT_PRINCIPAL, principalsFromSingleToken, PrincipalTokensSchema } from './principals.js';

const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef00';

describe('createPrincipalResolver', () => {
  const resolve = createPrincipalResolver({ alice: ALICE, bob: BOB });

  it('maps each Bearer token to its principal, whatever the scheme case', () => {
    expect(resolve(`Bearer ${ALICE}`)).toBe('alice');
    expect(resolve(`bearer ${BOB}`)).toBe('bob');
  });

  it.each([undefined, '', ALICE, `Basic ${ALICE}`, `Bearer ${ALICE.slice(0, -1)}`, `Bearer ${ALICE}x`, 'Bearer  ', `Bearer ${ALICE} ${BOB}`])(
    'names no principal for %j',
    (header) => {
      expect(resolve(header)).toBeUndefined();
    },
  );

  it('--auth-token is one principal named "default"', () => {
    expect(createPrincipalResolver(principalsFromSingleToken(ALICE))(`Bearer ${ALICE}`)).toBe(DEFAULT_PRINCIPAL);
    expect(DEFAULT_PRINCIPAL).toBe('default');
  });
});

describe('PrincipalTokensSchema', () => {
  it('accepts principals with distinct tokens of at least 16 characters', () => {
    expect(PrincipalTokensSchema.parse({ alice: ALICE, 'bob@example.com': BOB })).toEqual({ alice: ALICE, 'bob@example.com': BOB });
  });

  it.each([
    [{}, /no principals/],
    [{ alice: '' }, /principal "alice": the token is empty/],
    [{ alice: '   ' }, /principal "alice": the token is empty/],
    [{ alice: 'short' }, /principal "alice": the token must have at least 16 characters/],
    [{ alice: 'has a space in the middle' }, /principal "alice": the token contains whitespace/],
    [{ alice: ALICE, bob: ALICE }, /principals "alice" and "bob" have the same token; give each its own/],
    [{ 'al ice': ALICE }, /principal "al ice": a name is 1 to 64 letters/],
  ])('refuses %j saying why', (map, why) => {
    const result = PrincipalTokensSchema.safeParse(map);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.message).join('; ')).toMatch(why);
  });

  it('never quotes a token in its messages', () => {
    const result = PrincipalTokensSchema.safeParse({ alice: ALICE, bob: ALICE, carol: 'short-secret' });
    const messages = result.error!.issues.map((i) => i.message).join('; ');
    expect(messages).not.toContain(ALICE);
    expect(messages).not.toContain('short-secret');
  });
});
