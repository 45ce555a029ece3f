/**
 * The Streamable HTTP part of the configuration: where to listen, who may call, and the
 * limits that keep one shared server up. Parsed once with the rest of the Config.
 */
import net from 'node:net';
import { z } from 'zod';

export const DEFAULT_HTTP_HOST = '127.0.0.1';
export const DEFAULT_HTTP_PORT = 3000;
export const DEFAULT_HTTP_PATH = '/mcp';
export const DEFAULT_MAX_SESSIONS = 100;
/**
 * Five minutes: short-lived clients (`claude -p`, the Inspector CLI) vanish without a DELETE, and
 * a session of a client that is still there is reopened by it transparently (404 → initialize).
 */
export const DEFAULT_SESSION_IDLE_TIMEOUT_MSEC = 5 * 60 * 1000;
/** The SDK's own default; large enough for a prompt that quotes whole files. */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Short tokens are guessable; 16 characters is the least we accept. */
export const MIN_AUTH_TOKEN_LENGTH = 16;

/** Host names a loopback server answers to by default (port-agnostic, as in the Host header). */
export const LOOPBACK_HOSTNAMES = ['localhost', '127.0.0.1', '[::1]'] as const;

/** Whether `host` (a bind address or host name) only reaches this machine. */
export function isLoopbackHost(host: string): boolean {
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (bare === 'localhost') return true;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) return bare === '::1' || /^::ffff:127\./i.test(bare);
  return false;
}

export const HttpConfigSchema = z
  .object({
    /** Interface to bind. Anything but loopback needs `authToken`. */
    host: z.string().min(1).default(DEFAULT_HTTP_HOST),
    /** 0 lets the OS choose; the bound address is logged ("listening"). */
    port: z.number().int().min(0).max(65535).default(DEFAULT_HTTP_PORT),
    /** Where MCP is served; /healthz and /readyz sit beside it. */
    path: z.string().regex(/^\/[^?#\s]*$/, 'must start with "/" and have no query').default(DEFAULT_HTTP_PATH),
    /** No sessions: every request gets a fresh server, so any replica can answer any request. */
    stateless: z.boolean().default(false),
    /** Required as `Authorization: Bearer <token>` on every MCP request when set. */
    authToken: z.string().min(MIN_AUTH_TOKEN_LENGTH, `the auth token must have at least ${MIN_AUTH_TOKEN_LENGTH} characters`).optional(),
    /** `{"<principal>": "<token>", …}`, re-read when it changes; excludes `authToken`. */
    authTokensFile: z.string().min(1).optional(),
    /** Host header names (without port) to accept; default: the loopback names when bound to loopback. */
    allowedHosts: z.array(z.string().min(1)).optional(),
    /** Origin header values to accept (e.g. https://app.example.com); default: origins on an allowed host. */
    allowedOrigins: z.array(z.string().min(1)).optional(),
    maxSessions: z.number().int().positive().default(DEFAULT_MAX_SESSIONS),
    /** A session with no open request for this long is closed. */
    sessionIdleTimeoutMs: z.number().int().positive().default(DEFAULT_SESSION_IDLE_TIMEOUT_MSEC),
    maxBodyBytes: z.number().int().positive().default(DEFAULT_MAX_BODY_BYTES),
  })
  .superRefine((value, ctx) => {
    if (value.authToken !== undefined && value.authTokensFile !== undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['authTokensFile'],
        message: 'give either --auth-token (one shared token) or --auth-tokens (a file of principals and their tokens), not both; put the shared token into the file as "default"',
      });
    }
    if (!isLoopbackHost(value.host) && value.authToken === undefined && value.authTokensFile === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['authToken'],
        message: `binding ${value.host} exposes the server beyond this machine: set --auth-tokens FILE, --auth-token or AGENTS_MCP_AUTH_TOKEN`,
      });
    }
  });

export type HttpConfig = z.infer<typeof HttpConfigSchema>;
