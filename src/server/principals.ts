/**
 * Who is calling: an `Authorization: Bearer <token>` header mapped to the principal that owns
 * the token (`--auth-tokens FILE`: `{"<principal>": "<token>", …}`; `--auth-token` is one
 * principal named {@link DEFAULT_PRINCIPAL}). Runs, tasks and approvals belong to a principal;
 * logs carry its name, never its token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { MIN_AUTH_TOKEN_LENGTH } from '../http-config.js';

/** The principal `--auth-token` (one shared token) stands for. */
export const DEFAULT_PRINCIPAL = 'default';

/** Every HTTP caller when the server requires no token (loopback only): one principal, as on stdio. */
export const ANONYMOUS_PRINCIPAL = 'anonymous';

const PRINCIPAL_NAME = /^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/;
const PRINCIPAL_NAME_RULE = 'a name is 1 to 64 letters, digits, ".", "_", "@" or "-", starting with a letter or digit';

/** A principal's name: it appears in logs and store keys, so it is short and plain. */
export const PrincipalNameSchema = z.string().regex(PRINCIPAL_NAME, PRINCIPAL_NAME_RULE);

/**
 * The `--auth-tokens` file's content: principal → token. Messages name principals, never tokens.
 * Refuses an empty map, short or blank tokens, and two principals sharing one token (a shared
 * token would make them indistinguishable).
 */
export const PrincipalTokensSchema = z
  .record(z.string(), z.string())
  .superRefine((map, ctx) => {
    const entries = Object.entries(map);
    if (entries.length === 0) ctx.addIssue({ code: 'custom', message: 'no principals: add at least one "<principal>": "<token>" entry' });
    const ownerOf = new Map<string, string>();
    for (const [principal, token] of entries) {
      const at = JSON.stringify(principal);
      if (!PRINCIPAL_NAME.test(principal)) {
        ctx.addIssue({ code: 'custom', path: [principal], message: `principal ${at}: ${PRINCIPAL_NAME_RULE}` });
      }
      if (token.trim() === '') {
        ctx.addIssue({ code: 'custom', path: [principal], message: `principal ${at}: the token is empty` });
        continue;
      }
      if (/\s/.test(token)) ctx.addIssue({ code: 'custom', path: [principal], message: `principal ${at}: the token contains whitespace` });
      if (token.length < MIN_AUTH_TOKEN_LENGTH) {
        ctx.addIssue({ code: 'custom', path: [principal], message: `principal ${at}: the token must have at least ${MIN_AUTH_TOKEN_LENGTH} characters` });
      }
      const other = ownerOf.get(token);
      if (other !== undefined) {
        ctx.addIssue({ code: 'custom', path: [principal], message: `principals ${JSON.stringify(other)} and ${at} have the same token; give each its own` });
      }
      ownerOf.set(token, principal);
    }
  });

/** Principal → token, as validated by {@link PrincipalTokensSchema}. */
export type PrincipalTokens = Readonly<Record<string, string>>;

/** Maps an Authorization header to a principal, or undefined when it names none. */
export type PrincipalResolver = (authorization: string | undefined) => string | undefined;

const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();

/**
 * A resolver for `tokens`. The presented token is hashed once and compared with every known
 * token's digest in constant time, with no early exit, so response timing tells neither which
 * characters matched, nor the token's length, nor which principal's entry it was.
 */
export function createPrincipalResolver(tokens: PrincipalTokens): PrincipalResolver {
  const known = Object.entries(tokens).map(([principal, token]) => ({ principal, digest: digest(token) }));
  return (authorization) => {
    const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(authorization ?? '');
    if (match === null) return undefined;
    const presented = digest(match[1]!);
    let found: string | undefined;
    for (const entry of known) {
      if (timingSafeEqual(presented, entry.digest)) found = entry.principal;
    }
    return found;
  };
}

/** `--auth-token`: the one token as the principal {@link DEFAULT_PRINCIPAL}. */
export function principalsFromSingleToken(token: string): PrincipalTokens {
  return { [DEFAULT_PRINCIPAL]: token };
}
