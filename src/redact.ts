/**
 * The one redaction pass: every secret the server holds (the Anthropic API key and auth token, the
 * HTTP auth token, secrets in upstream servers' `env` and `headers`) is replaced by `[redacted]` in
 * whatever leaves the process — tool results before the model reads them, what enters a model
 * request, run results and transcripts (memory and `--runs-dir`), log lines.
 *
 * A secret is found whole, inside a longer string, and split by whitespace or line breaks
 * (`fold`, `cut`, a wrapped log line; JSON's `\n` escapes count as line breaks). Encoded copies
 * (base64, hex, reversed) are not recognized: docs/permissions.md says what stops those.
 */

/** Secrets shorter than this are not masked: they would match ordinary words. */
export const MIN_SECRET_CHARS = 8;

/** What replaces a secret. */
export const REDACTED = '[redacted]';

/** Masks the server's secrets. */
export interface Redactor {
  /** `text` with every secret masked. */
  text(text: string): string;
  /**
   * `value` with every string in it masked (objects and arrays walked, other values kept): a copy
   * of whatever held a secret; `value` itself, unchanged, when nothing did.
   */
  deep<T>(value: T): T;
  /** The secrets it masks (for handing to a logger that must mask the same). */
  readonly secrets: readonly string[];
}

/** Between two characters of a secret: whitespace, or a JSON-escaped line break or tab. */
const GAP = String.raw`(?:\s|\\[nrt])*`;

function escapeRegExp(ch: string): string {
  return ch.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');
}

/** A redactor for `secrets`; empty, undefined and short values are ignored. */
export function createRedactor(secrets: Iterable<string | undefined>): Redactor {
  const kept = [...new Set([...secrets].filter((s): s is string => typeof s === 'string' && s.trim().length >= MIN_SECRET_CHARS))]
    // Longest first, so a secret that contains another is masked whole.
    .sort((a, b) => b.length - a.length);
  const pattern = kept.length === 0 ? undefined : new RegExp(kept.map((s) => [...s.trim()].map(escapeRegExp).join(GAP)).join('|'), 'g');
  const text = (input: string): string => (pattern === undefined ? input : input.replace(pattern, REDACTED));
  // Copies only what holds a secret: a run's record, result and events are walked several times
  // per call, and copying all of them every time was a measurable share of a call's CPU.
  const deep = <T>(value: T): T => {
    if (pattern === undefined) return value;
    if (typeof value === 'string') return text(value) as T;
    if (Array.isArray(value)) {
      let copy: unknown[] | undefined;
      for (let i = 0; i < value.length; i++) {
        const masked = deep(value[i] as unknown);
        if (masked !== value[i]) (copy ??= [...value])[i] = masked;
      }
      return (copy ?? value) as T;
    }
    if (typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === Object.prototype) {
      const record = value as Record<string, unknown>;
      let copy: Record<string, unknown> | undefined;
      for (const [key, v] of Object.entries(record)) {
        const masked = deep(v);
        if (masked !== v) (copy ??= { ...record })[key] = masked;
      }
      return (copy ?? value) as T;
    }
    return value;
  };
  return { text, deep, secrets: kept };
}

/** A redactor that masks nothing (tests, or a server with no secrets). */
export const NO_REDACTION: Redactor = createRedactor([]);

/** Variable and header names whose values are credentials. */
const SECRET_NAME = /KEY|TOKEN|SECRET|PASSW|CREDENTIAL|AUTH|COOKIE|SESSION|PRIVATE|CERT|DSN|CONNECTION_STRING|API/i;

/**
 * The values of `entries` (an upstream server's `env` or `headers`) that are credentials by name
 * (`GITHUB_TOKEN`, `Authorization`, …). A `Bearer x` header yields `x` as well.
 */
export function secretValues(entries: Readonly<Record<string, string>> | undefined): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(entries ?? {})) {
    if (!SECRET_NAME.test(name)) continue;
    out.push(value);
    const bearer = /^(?:Bearer|Basic|token)\s+(.+)$/i.exec(value);
    if (bearer?.[1] !== undefined) out.push(bearer[1]);
  }
  return out;
}
