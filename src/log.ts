/**
 * Logging: pino JSON on stderr, because under stdio stdout belongs to MCP. Secrets are
 * redacted by key name and, as a last line of defence, by value.
 */
import pino, { type Logger } from 'pino';
import { createRedactor, REDACTED } from './redact.js';

export type { Logger };

const SECRET_KEYS: ReadonlySet<string> = new Set([
  'apiKey',
  'authToken',
  'authorization',
  'Authorization',
  'x-api-key',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'AGENTS_MCP_AUTH_TOKEN',
]);

/** How deep {@link maskSecretKeys} looks: the line's own keys and two levels below. */
const SECRET_KEY_DEPTH = 3;

/**
 * `object` with the value of every secret-named key masked, up to {@link SECRET_KEY_DEPTH} levels;
 * copies only what it changes. Does what pino's `redact` paths (`k`, `*.k`, `*.*.k`) did, at a
 * fraction of the cost: those wildcard paths cost ~0.1-0.3 ms per line, a run logs two.
 */
function maskSecretKeys(object: Record<string, unknown>, depth = SECRET_KEY_DEPTH): Record<string, unknown> {
  let copy: Record<string, unknown> | undefined;
  for (const key in object) {
    const value = object[key];
    if (SECRET_KEYS.has(key)) (copy ??= { ...object })[key] = REDACTED;
    else if (depth > 1 && typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const masked = maskSecretKeys(value as Record<string, unknown>, depth - 1);
      if (masked !== value) (copy ??= { ...object })[key] = masked;
    }
  }
  return copy ?? object;
}

/**
 * Create the logger. `secrets` are literal values (API keys, tokens) that are masked wherever
 * they appear in a log line, whatever key carries them.
 */
export function createLogger(options: { level: string; secrets?: string[]; destination?: pino.DestinationStream }): Logger {
  const redactor = createRedactor(options.secrets ?? []);
  return pino(
    {
      level: options.level,
      base: { name: 'agents-mcp' },
      formatters: { log: (object) => maskSecretKeys(object) },
      ...(redactor.secrets.length > 0 && { hooks: { streamWrite: (line: string): string => redactor.text(line) } }),
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
