/**
 * The server's configuration: one zod schema, its defaults, and how flags and environment
 * variables become a Config. Parsed once at start-up; everything downstream trusts it.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { secretValues } from './redact.js';
import { DEFAULT_MAX_DEPTH } from './tools/delegation/chain.js';
import { UpstreamServerConfigSchema } from './tools/upstream/server-config.js';
import { BASH_SANDBOX_SETTINGS } from './tools/shell/bash-sandbox.js';
import { SERVER_PERMISSION_MODES } from './tools/permissions/permission-mode.js';
import { HttpConfigSchema } from './http-config.js';
import type { StoreLocation } from './store/store-url.js';
import type { PriceTable } from './run/prices.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** `--model-backend` values; `auto` = Anthropic when credentials are set, else the client's sampling. */
export const MODEL_BACKENDS = ['auto', 'anthropic', 'sampling'] as const;

/** The Anthropic SDK's own default request timeout. */
export const DEFAULT_MODEL_TIMEOUT_SEC = 600;

export const ConfigSchema = z.object({
  /** Agent folders, in precedence order (the first wins on duplicate names). */
  agentDirs: z.array(z.string()).min(1),
  /** Directories the file tools may touch; the first is the working directory. */
  workspaces: z.array(z.string()).min(1),
  /** The model used for agents whose model is `inherit`. */
  defaultModel: z.string().min(1),
  /** Model ids for the aliases agents use. */
  modelAliases: z.record(z.string(), z.string()),
  /** Turn limit for agents that set no `maxTurns` (an agent's own value may only lower it). */
  maxTurns: z.number().int().positive(),
  /** Output-token cap per model turn. */
  maxOutputTokens: z.number().int().positive(),
  logLevel: z.enum(LOG_LEVELS),
  anthropic: z.object({
    apiKey: z.string().optional(),
    authToken: z.string().optional(),
    baseURL: z.string().optional(),
  }),
  /** Whether to watch agent folders and publish changes. */
  watch: z.boolean(),
  /** Which model runs agents: `auto` (default when absent), `anthropic` or `sampling` (the calling client's). */
  modelBackend: z.enum(MODEL_BACKENDS).optional(),
  /** Upstream MCP servers from the `--mcp-config` files, by name (see docs/upstream.md). */
  mcpServers: z.record(z.string(), UpstreamServerConfigSchema).default({}),
  /** The `--mcp-config` files themselves (absolute), protected from writes like the agent folders. */
  mcpConfigFiles: z.array(z.string()).default([]),
  /** `--allow-agent-mcp-servers`: agents' inline `mcpServers` entries may start processes. */
  allowAgentMcpServers: z.boolean().default(false),
  /** How many agent runs may be on one delegation chain, across processes (`--max-depth`). */
  maxDepth: z.number().int().positive().default(DEFAULT_MAX_DEPTH),
  /** Wall-clock limit per call in ms (an agent's `maxDurationSeconds` may lower it). */
  maxDurationMs: z.number().int().positive().optional(),
  /** Dollar cap per call (an agent's `maxCostUsd` may lower it); none by default. */
  maxCostUsd: z.number().positive().optional(),
  /** The price table, when `--prices FILE` (or AGENTS_MCP_PRICES) laid a file over the built-in one. */
  prices: z.custom<PriceTable>((v) => typeof v === 'object' && v !== null && Array.isArray((v as PriceTable).entries)).optional(),
  /** Runs that may go on at once; further calls wait in line. */
  maxConcurrentRuns: z.number().int().positive().optional(),
  /** Folder keeping one JSON file per run (transcripts survive a restart). */
  runsDir: z.string().optional(),
  /** Most milliseconds between progress notifications while a run is busy. */
  progressIntervalMs: z.number().int().positive().optional(),
  /** `--permission-mode`: what runs may do without asking (absent = `default`). */
  permissionMode: z.enum(SERVER_PERMISSION_MODES).optional(),
  /** `--allow-bash`: command prefixes or globs that run without asking. */
  allowBash: z.array(z.string().min(1)).optional(),
  /** `--bash-sandbox`: whether Bash runs inside @anthropic-ai/sandbox-runtime (absent = `auto`). */
  bashSandbox: z.enum(BASH_SANDBOX_SETTINGS).optional(),
  /** stdio (one client that started us) or Streamable HTTP (many clients). */
  transport: z.enum(['stdio', 'http']).default('stdio'),
  /** Listening address, auth and limits for `transport: http`. */
  http: HttpConfigSchema.prefault({}),
  /** `--store`: where run state lives so that replicas share it (memory = this process only). */
  store: z.custom<StoreLocation>((v) => typeof v === 'object' && v !== null && 'engine' in v).default({ engine: 'memory' }),
  /** With a shared store: how long a replica's hold on a run lasts unrenewed, so how soon another carries on the runs of one that died. */
  runLeaseMs: z.number().int().positive().optional(),
  /** Longest wait on the model API: for a response to begin, and between streamed events. */
  modelTimeoutMs: z.number().int().positive().default(DEFAULT_MODEL_TIMEOUT_SEC * 1000),
});

export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_MAX_TURNS = 25;
export const DEFAULT_MAX_OUTPUT_TOKENS = 16_000;
export const DEFAULT_MAX_DURATION_SECONDS = 30 * 60;
export const DEFAULT_MAX_CONCURRENT_RUNS = 8;
export const DEFAULT_PROGRESS_INTERVAL_SECONDS = 10;

/** Every secret the configuration holds: credentials, the HTTP token, upstream servers' secret env and headers. */
export function configSecrets(config: Pick<Config, 'anthropic' | 'http' | 'mcpServers'> & { store?: StoreLocation }): string[] {
  const upstream = Object.values(config.mcpServers).flatMap((s) => secretValues(s.type === 'stdio' ? s.env : s.headers));
  return [config.anthropic.apiKey, config.anthropic.authToken, config.http.authToken, ...tokensFileSecrets(config.http.authTokensFile), ...storeSecrets(config.store), ...upstream].filter((s): s is string => Boolean(s));
}

/** The user name and password in a `--store redis://user:password@…` URL. */
function storeSecrets(store: StoreLocation | undefined): string[] {
  if (store?.engine !== 'redis') return [];
  const url = new URL(store.url);
  return [decodeURIComponent(url.password), url.password].filter((s) => s.length >= 4);
}

/**
 * The tokens in `--auth-tokens` as the server starts. Best effort: a bad file stops the HTTP server
 * later with its own error, and tokens added by a later edit are not in this list (docs/team-server.md).
 */
function tokensFileSecrets(file: string | undefined): string[] {
  if (file === undefined) return [];
  try {
    const json: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof json !== 'object' || json === null) return [];
    return Object.values(json).filter((v): v is string => typeof v === 'string');
  } catch {
    return [];
  }
}

/** The Anthropic credentials and endpoint the environment provides (empty values count as unset). */
export function anthropicFromEnv(env: NodeJS.ProcessEnv): Config['anthropic'] {
  const pick = (name: string): string | undefined => (env[name] && env[name]!.trim() !== '' ? env[name] : undefined);
  const out: Config['anthropic'] = {};
  const apiKey = pick('ANTHROPIC_API_KEY');
  const authToken = pick('ANTHROPIC_AUTH_TOKEN');
  const baseURL = pick('ANTHROPIC_BASE_URL');
  if (apiKey) out.apiKey = apiKey;
  if (authToken) out.authToken = authToken;
  if (baseURL) out.baseURL = baseURL;
  return out;
}
