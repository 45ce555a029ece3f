/**
 * Flags and environment → Config: every flag judged here, so a mistake stops the command with a
 * UsageError that names the flag (or the file), never an internal config path.
 */
import { existsSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolveAgentDirs } from '../agents/discover.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_ALIASES } from '../agents/models.js';
import {
  ConfigSchema,
  DEFAULT_MAX_CONCURRENT_RUNS,
  DEFAULT_MAX_DURATION_SECONDS,
  DEFAULT_MAX_OUTPUT_TOKENS,
  DEFAULT_MAX_TURNS,
  DEFAULT_PROGRESS_INTERVAL_SECONDS,
  DEFAULT_MODEL_TIMEOUT_SEC,
  anthropicFromEnv,
  type Config,
} from '../config.js';
import { loadPriceFile, PRICES_ENV, type PriceTable } from '../run/prices.js';
import { DEFAULT_MAX_DEPTH } from '../tools/delegation/chain.js';
import { McpConfigError, readMcpConfigFiles } from '../tools/upstream/mcp-config-file.js';
import { DEFAULT_PERMISSION_MODE } from '../tools/permissions/permission-mode.js';
import { describeConfigIssues } from './config-flags.js';
import { DEFAULT_STORE, StoreLocationSchema, type StoreLocation } from '../store/store-url.js';
import { DEFAULT_RUN_LEASE_MS } from '../server/run-lease.js';

/** commander's collector for a repeatable flag. */
export const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

/** Every flag of `serve` and `run`, as commander hands them over (strings until judged here). */
export interface ServeFlags {
  agents?: string[];
  workspace?: string[];
  model?: string;
  opusModel?: string;
  sonnetModel?: string;
  haikuModel?: string;
  fableModel?: string;
  maxTurns?: string;
  maxOutputTokens?: string;
  modelTimeout?: string;
  logLevel?: string;
  /** Absent for `run`, which never watches. */
  watch?: boolean;
  toolDescriptions?: 'compact' | 'full';
  modelBackend?: string;
  mcpConfig?: string[];
  maxDepth?: string;
  maxDuration?: string;
  maxCostUsd?: string;
  prices?: string;
  maxConcurrentRuns?: string;
  runsDir?: string;
  store?: string;
  runLease?: string;
  progressInterval?: string;
  permissionMode?: string;
  allowBash?: string[];
  bashSandbox?: string;
  allowAgentMcpServers?: boolean;
  transport?: 'stdio' | 'http';
  host?: string;
  port?: string;
  path?: string;
  stateless?: boolean;
  authToken?: string;
  authTokens?: string;
  allowedHosts?: string;
  allowedOrigins?: string;
  maxSessions?: string;
  sessionIdleTimeout?: string;
  maxBodyBytes?: string;
  expose?: 'per-agent' | 'single';
}

/** `a, b,c` → ['a', 'b', 'c']; undefined stays undefined. */
const commaList = (value: string | undefined): string[] | undefined =>
  value === undefined ? undefined : value.split(',').map((v) => v.trim()).filter((v) => v !== '');
/** A number flag, left for the schema to judge (NaN fails it with the flag's path). */
const numberFlag = (value: string | undefined, scale = 1): number | undefined => (value === undefined ? undefined : Number(value) * scale);

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

function positiveNumber(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n <= 0) throw new UsageError(`${name} must be a positive number, got "${value}"`);
  return n;
}

/** Seconds (decimals allowed) → whole milliseconds. */
function secondsToMs(name: string, value: string | undefined, fallbackSeconds: number): number {
  return Math.max(1, Math.round((positiveNumber(name, value) ?? fallbackSeconds) * 1000));
}

/** A mistake on the command line: the CLI prints it and exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The servers of every `--mcp-config` file; a bad file is a usage error naming the file and key. */
export function readMcpServers(files: string[], env: NodeJS.ProcessEnv, cwd: string): Config['mcpServers'] {
  try {
    return readMcpConfigFiles(files.map((f) => path.resolve(cwd, f)), env);
  } catch (err) {
    if (err instanceof McpConfigError) throw new UsageError(`--mcp-config ${err.message}`);
    throw err;
  }
}

/** The price table from `--prices FILE` (else the env variable) over the built-in one; nothing when neither is set. */
function pricesFrom(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): { prices?: PriceTable } {
  const given = flag ?? (env[PRICES_ENV]?.trim() || undefined);
  if (given === undefined) return {};
  try {
    return { prices: loadPriceFile(path.resolve(cwd, given)) };
  } catch (err) {
    throw new UsageError(`${flag !== undefined ? '--prices' : PRICES_ENV}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/** Where a command runs: its environment, working directory and the bundled agents folder. */
export interface CommandSite {
  env: NodeJS.ProcessEnv;
  cwd: string;
  /** The agents shipped with this build, served when no folder is given or found. */
  bundledDir: string;
}

/**
 * Flags + environment → a validated Config.
 * @throws UsageError naming the flag (or file) that is wrong.
 */
export function buildConfig(flags: ServeFlags, site: CommandSite): Config {
  const { env, cwd } = site;
  const agentDirs = agentDirsFrom(flags.agents, site);
  const candidate = {
    agentDirs,
    workspaces: (flags.workspace?.length ? flags.workspace : [cwd]).map((d) => path.resolve(cwd, d)),
    defaultModel: flags.model ?? env['AGENTS_MCP_MODEL'] ?? DEFAULT_MODEL,
    modelAliases: {
      ...DEFAULT_MODEL_ALIASES,
      ...(flags.opusModel ? { opus: flags.opusModel } : {}),
      ...(flags.sonnetModel ? { sonnet: flags.sonnetModel } : {}),
      ...(flags.haikuModel ? { haiku: flags.haikuModel } : {}),
      ...(flags.fableModel ? { fable: flags.fableModel } : {}),
    },
    maxTurns: positiveInt('--max-turns', flags.maxTurns, DEFAULT_MAX_TURNS),
    maxOutputTokens: positiveInt('--max-output-tokens', flags.maxOutputTokens, DEFAULT_MAX_OUTPUT_TOKENS),
    logLevel: flags.logLevel ?? env['LOG_LEVEL'] ?? 'info',
    anthropic: anthropicFromEnv(env),
    watch: flags.watch ?? false,
    modelBackend: flags.modelBackend ?? 'auto',
    mcpServers: readMcpServers(flags.mcpConfig ?? [], env, cwd),
    mcpConfigFiles: (flags.mcpConfig ?? []).map((f) => path.resolve(cwd, f)),
    allowAgentMcpServers: flags.allowAgentMcpServers === true,
    maxDepth: positiveInt('--max-depth', flags.maxDepth, DEFAULT_MAX_DEPTH),
    maxDurationMs: secondsToMs('--max-duration', flags.maxDuration, DEFAULT_MAX_DURATION_SECONDS),
    maxCostUsd: positiveNumber('--max-cost-usd', flags.maxCostUsd),
    ...pricesFrom(flags.prices, env, cwd),
    maxConcurrentRuns: positiveInt('--max-concurrent-runs', flags.maxConcurrentRuns, DEFAULT_MAX_CONCURRENT_RUNS),
    runsDir: flags.runsDir === undefined ? undefined : path.resolve(cwd, flags.runsDir),
    store: storeFrom(flags.store ?? env['AGENTS_MCP_STORE']),
    runLeaseMs: secondsToMs('--run-lease', flags.runLease, DEFAULT_RUN_LEASE_MS / 1000),
    progressIntervalMs: secondsToMs('--progress-interval', flags.progressInterval, DEFAULT_PROGRESS_INTERVAL_SECONDS),
    permissionMode: flags.permissionMode ?? DEFAULT_PERMISSION_MODE,
    allowBash: flags.allowBash ?? [],
    bashSandbox: flags.bashSandbox ?? 'auto',
    transport: flags.transport,
    // Judged only when serving HTTP: a stray AGENTS_MCP_AUTH_TOKEN must not stop a stdio server.
    http: flags.transport !== 'http' ? undefined : {
      host: flags.host,
      port: numberFlag(flags.port),
      path: flags.path,
      stateless: flags.stateless,
      authToken: flags.authToken ?? (env['AGENTS_MCP_AUTH_TOKEN']?.trim() || undefined),
      authTokensFile: flags.authTokens === undefined ? undefined : path.resolve(cwd, flags.authTokens),
      allowedHosts: commaList(flags.allowedHosts),
      allowedOrigins: commaList(flags.allowedOrigins),
      maxSessions: numberFlag(flags.maxSessions),
      sessionIdleTimeoutMs: numberFlag(flags.sessionIdleTimeout, 1000),
      maxBodyBytes: numberFlag(flags.maxBodyBytes),
    },
    modelTimeoutMs: positiveInt('--model-timeout', flags.modelTimeout, DEFAULT_MODEL_TIMEOUT_SEC) * 1000,
  };
  const parsed = ConfigSchema.safeParse(candidate);
  if (!parsed.success) throw new UsageError(describeConfigIssues(parsed.error.issues));
  return parsed.data;
}

/** `--store` (or AGENTS_MCP_STORE) parsed; a bad value stops the command naming the flag. */
function storeFrom(value: string | undefined): StoreLocation {
  const parsed = StoreLocationSchema.safeParse(value ?? DEFAULT_STORE);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => i.message).join('; '));
  return parsed.data;
}

/** The options `serve` and `run` share: agents, workspace, models, limits, permissions, upstream servers. */
function isDirectory(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The folders given, resolved, or the default discovery. A folder given with `--agents` is
 * configuration: one that is not there stops the command, naming it.
 * @throws UsageError for a given folder that does not exist or is not a folder.
 */
export function agentDirsFrom(given: string[] | undefined, site: Pick<CommandSite, 'cwd' | 'bundledDir'>): string[] {
  const { cwd } = site;
  if (!given?.length) return resolveAgentDirs({ cwd, home: os.homedir(), bundledDir: site.bundledDir });
  const dirs = given.map((d) => path.resolve(cwd, d));
  for (const [i, dir] of dirs.entries()) {
    if (isDirectory(dir)) continue;
    const what = existsSync(dir) ? 'is not a folder' : 'does not exist';
    const shown = given[i] === dir ? dir : `${given[i]} (${dir})`;
    throw new UsageError(`--agents ${shown} ${what}; give the folder that holds your agent .md files`);
  }
  return dirs;
}

