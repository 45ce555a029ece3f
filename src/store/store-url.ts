/**
 * `--store`: `memory` (the default) or `redis://[user:password@]host[:port][/db]` (`rediss://` for
 * TLS). Checked once at start-up so a typo fails fast, naming the flag.
 */
import { z } from 'zod';

/** The value `--store` takes when absent. */
export const DEFAULT_STORE = 'memory';
export const DEFAULT_REDIS_PORT = 6379;

/** A parsed `--store` value. */
export type StoreLocation =
  | { readonly engine: 'memory' }
  | {
      readonly engine: 'redis';
      /** The URL as given (credentials included): for the client only, never for logs. */
      readonly url: string;
      /** The same without user name and password, for logs, errors and /readyz. */
      readonly target: string;
      readonly db: number;
    };

/** Parse a `--store` value; the error message says what is accepted. */
export const StoreLocationSchema = z.string().transform((value, ctx): StoreLocation => {
  const text = value.trim();
  if (text === '' || text === DEFAULT_STORE) return { engine: 'memory' };
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    url = new URL('invalid:');
  }
  const fail = (why: string): never => {
    ctx.addIssue({ code: 'custom', message: `--store ${JSON.stringify(redactUrl(text))}: ${why}; use "memory" or redis://host:port/db` });
    return z.NEVER;
  };
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') return fail('not a redis:// URL');
  if (url.hostname === '') return fail('no host');
  if (url.search !== '' || url.hash !== '') return fail('query strings and fragments are not supported');
  const dbText = url.pathname.replace(/^\//, '');
  if (dbText !== '' && !/^\d{1,5}$/.test(dbText)) return fail(`the database "${dbText}" is not a number`);
  const db = dbText === '' ? 0 : Number(dbText);
  const port = url.port === '' ? DEFAULT_REDIS_PORT : Number(url.port);
  return { engine: 'redis', url: text, target: `${url.protocol}//${url.hostname}:${port}/${db}`, db };
});

/** `text` with any user name and password replaced, for error messages. */
function redactUrl(text: string): string {
  return text.replace(/\/\/[^@/]*@/, '//***@');
}
