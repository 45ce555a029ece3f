/**
 * Masking credentials in text that leaves the server (error messages in tool results). The
 * logger masks them in log lines itself (log.ts); this is for everything else.
 */

/** Secrets shorter than this are not masked: they would match ordinary words. */
export const MIN_SECRET_CHARS = 8;

/** `text` with every occurrence of each secret (of at least {@link MIN_SECRET_CHARS}) replaced by `[redacted]`. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= MIN_SECRET_CHARS) out = out.split(secret).join('[redacted]');
  return out;
}
