import { describe, expect, it } from 'vitest';
import { createBearerCheck } from './bearer-auth.js';

describe('createBearerCheck', () => {
  const check = createBearerCheck('s3cret-token-0123456789');

  it('accepts the token in a Bearer header, whatever the scheme case', () => {
    expect(check('Bearer s3cret-token-0123456789')).toBe(true);
    expect(check('bearer s3cret-token-0123456789')).toBe(true);
  });

  it.each([undefined, '', 's3cret-token-0123456789', 'Basic s3cret-token-0123456789', 'Bearer s3cret-token-012345678', 'Bearer s3cret-token-0123456789x', 'Bearer  '])(
    'refuses %j',
    (header) => {
      expect(check(header)).toBe(false);
    },
  );
});
