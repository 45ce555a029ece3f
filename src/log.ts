/**
 * Logging: pino JSON on stderr, because under stdio stdout belongs to MCP. Secrets are
 * redacted by key name and, as a last line of defence, by value.
 */
import pino, { type Logger } from 'pino';
import { createRedactor, REDACTED } from './redact.js';

export type { Logger };

const SECRET_KEYS = [
  'apiKey',
  'authToken',
  'authorization',
  'Authorization',
  'x-api-key',
  'ANTHROPIC_API_KEY',
  'ANTHROPIC_AUTH_TOKEN',
  'AGENTS_MCP_AUTH_TOKEN',
];

/**
 * Create the logger. `secrets` are literal values (API keys, tokens) that are masked wherever
 * they appear in a log line, whatever key carries them.
 */
export function createLogger(options: { level: string; secrets?: string[]; destination?: pino.DestinationStream }): Logger {
  const redactor = createRedactor(options.secrets ?? []);
  const paths = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);
  return pino(
    {
      level: options.level,
      base: { name: 'agents-mcp' },
      redact: { paths, censor: REDACTED },
      ...(redactor.secrets.length > 0 && { hooks: { streamWrite: (line: string): string => redactor.text(line) } }),
    },
    options.destination ?? pino.destination({ fd: 2, sync: true }),
  );
}
