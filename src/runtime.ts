/**
 * The runtime, built from the Config and shared by the server (server/start.ts) and
 * `agents-mcp run` (cli/run-command.ts): the model backend, the server's tools with Bash in its
 * sandbox, what every call is made with, the runner, and the catalog as served. Nothing here
 * starts a transport.
 */
import { realpathSync } from 'node:fs';
import os from 'node:os';
import { compactDescription } from './agents/compact-description.js';
import type { Catalog } from './agents/catalog.js';
import type { AgentDefinition } from './agents/definition.js';
import { configSecrets, type Config } from './config.js';
import type { Logger } from './log.js';
import { createRedactor } from './redact.js';
import { createAnthropicClient, hasCredentials } from './run/anthropic.js';
import type { RunDeps } from './run/prepare-and-run.js';
import type { CallContext } from './run/call-context.js';
import { chooseModelClient } from './run/choose-backend.js';
import { ModelError } from './run/model.js';
import type { RunResult } from './run/result.js';
import { createRunner, type Runner } from './run/runner.js';
import { createRunSlots } from './run/run-slots.js';
import { createRunStore, type RunKeepingPlace, type RunStore } from './run/run-store.js';
import { createSharedRunStore } from './run/shared-run-store.js';
import type { Store } from './store/store.js';
import { createAllTools } from './tools/all-tools.js';
import { DEFAULT_PERMISSION_MODE } from './tools/permissions/permission-mode.js';
import { createProtectedPaths } from './tools/permissions/protected-paths.js';
import { BACKGROUND_SANDBOX_NOTE, findMissingSandboxPrograms, openBashSandbox, openBashSandboxOnFirstUse, UNSANDBOXED_REACH } from './tools/shell/bash-sandbox.js';
import { killAllShellProcesses } from './tools/shell/shell-process.js';
import { OFFERED_TOOL_NAMES, withUnavailableToolWarnings } from './tools/tool-availability.js';
import type { Tool } from './tools/tool.js';
import type { UpstreamPool } from './tools/upstream/pool.js';
import { createUpstreamToolSource } from './tools/upstream/tool-source.js';

/** The model backend the config allows, or the reason there is none. */
function createModelClient(config: Config, logger: Logger): RunDeps['client'] {
  if (!hasCredentials(config.anthropic)) {
    return new ModelError('no_credentials', 'No Anthropic credentials are set, so agents cannot run.');
  }
  return createAnthropicClient({ ...config.anthropic, timeoutMs: config.modelTimeoutMs, logger });
}

/** What calls share with the rest of the server (all optional: absent = that feature off). */
export interface RunDepsOptions {
  /** The upstream MCP pool every run shares. */
  pool?: UpstreamPool;
  /** The current catalog, for the Agent tool. */
  catalog?: () => Iterable<AgentDefinition>;
  /** The server's own tools; default: every tool, Bash unsandboxed (startServer passes the sandboxed set). */
  tools?: Tool[];
}

/** What every call needs, built once from the config: shared by the server and `agents-mcp run`. */
export function createRunDeps(config: Config, logger: Logger, options: RunDepsOptions = {}): RunDeps {
  return {
    settings: {
      defaultModel: config.defaultModel,
      modelAliases: config.modelAliases,
      maxTurns: config.maxTurns,
      maxOutputTokens: config.maxOutputTokens,
      roots: config.workspaces.map((w) => realpathSync(w)),
      maxDepth: config.maxDepth,
      ...(config.maxDurationMs !== undefined ? { maxDurationMs: config.maxDurationMs } : {}),
      ...(config.maxCostUsd !== undefined ? { maxCostUsd: config.maxCostUsd } : {}),
      ...(config.prices ? { prices: config.prices } : {}),
      permissionMode: config.permissionMode ?? DEFAULT_PERMISSION_MODE,
      allowBash: config.allowBash ?? [],
      protectedPaths: createProtectedPaths({ agentDirs: config.agentDirs, configFiles: [...config.mcpConfigFiles, ...(config.http.authTokensFile !== undefined ? [config.http.authTokensFile] : [])] }),
    },
    tools: options.tools ?? createAllTools(),
    client: createModelClient(config, logger),
    logger,
    redactor: createRedactor(configSecrets(config)),
    ...(options.pool ? { upstream: createUpstreamToolSource({ configured: config.mcpServers, pool: options.pool, allowAgentServers: config.allowAgentMcpServers }) } : {}),
    ...(options.catalog ? { delegation: { agents: options.catalog, describe: (a: AgentDefinition) => compactDescription(a.description) } } : {}),
  };
}

/** The runner every session shares: one line for --max-concurrent-runs, one store of runs. */
/**
 * Where runs are kept: with a shared store (Redis), there, so any replica lists, reads and
 * resumes them; otherwise in this process's memory, bounded. Either way also in --runs-dir.
 */
function createRunsFromConfig(config: Config, logger: Logger, store: Store | undefined): RunStore {
  const options = {
    ...(config.runsDir ? { dir: config.runsDir } : {}),
    redactor: createRedactor(configSecrets(config)),
    onError: (err: unknown, runId: string, place: RunKeepingPlace) =>
      logger.warn({ run_id: runId, err }, place === 'dir' ? 'could not keep the run in --runs-dir' : 'could not keep the run in the store; it goes on'),
  };
  return store?.status().engine === 'redis' ? createSharedRunStore({ store, ...options }) : createRunStore(options);
}

/** The runner every session shares: one line for --max-concurrent-runs, one store of runs (in `options.store` when it is shared). */
export function createRunnerFromConfig(config: Config, logger: Logger, options: RunDepsOptions & { store?: Store } = {}): Runner {
  return createRunner({
    runDeps: createRunDeps(config, logger, options),
    runs: createRunsFromConfig(config, logger, options.store),
    ...(config.maxConcurrentRuns ? { slots: createRunSlots(config.maxConcurrentRuns) } : {}),
  });
}

/** The server's callAgent: runner.run with the model backend chosen per call (the calling session's sampling or Anthropic, per --model-backend). */
export function createCallAgent(runner: Runner, config: Config): (ctx: CallContext) => Promise<RunResult> {
  const mode = config.modelBackend ?? 'auto';
  const client = runner.runDeps.client;
  const anthropic = client instanceof ModelError ? undefined : client;
  // Sampling belongs to the session that called, so the client cannot be fixed up front.
  return (ctx) => runner.run(ctx, { client: chooseModelClient({ mode, anthropic, sampling: ctx.caller?.sampling }) });
}

/**
 * The server's tools with Bash in the sandbox the config asks for; `close` stops detached shell
 * groups (they would outlive us) and then the sandbox's proxies.
 */
export async function openServerTools(config: Config, logger: Logger, { background = true }: { background?: boolean } = {}): Promise<{ tools: Tool[]; close: () => Promise<void> }> {
  const setting = config.bashSandbox ?? 'auto';
  const sandboxOptions = { setting, roots: config.workspaces.map((w) => realpathSync(w)), homeDir: os.homedir() };
  logger.info({ permission_mode: config.permissionMode ?? DEFAULT_PERMISSION_MODE, allow_bash: config.allowBash?.length ?? 0, bash_sandbox: setting }, 'tools ready');
  // `require` must fail at start-up when there is no sandbox; under `auto` a server opens it on
  // the first Bash command so that it never delays start-up (a terminal run just waits for it).
  const lazy = background && setting === 'auto';
  const missing = lazy ? findMissingSandboxPrograms() : [];
  if (missing.length > 0) {
    logger.warn({ bash_sandbox: 'off' }, `Bash runs without a sandbox: ${missing.join(' and ')} not found (apt-get install bubblewrap socat); ${UNSANDBOXED_REACH}.`);
  }
  const onFirstUse = lazy ? openBashSandboxOnFirstUse(sandboxOptions, (s) => (s.sandbox ? logger.info(s.note) : logger.warn({ bash_sandbox: 'off' }, `${s.note} ${UNSANDBOXED_REACH}.`))) : undefined;
  const status = onFirstUse ? undefined : await openBashSandbox(sandboxOptions);
  if (status?.sandbox) logger.info(status.note);
  else if (status) logger.warn({ bash_sandbox: 'off' }, `${status.note} ${UNSANDBOXED_REACH[0]!.toUpperCase()}${UNSANDBOXED_REACH.slice(1)}.`);
  const sandbox = onFirstUse?.sandbox ?? status?.sandbox;
  const tools = createAllTools({ ...(sandbox ? { sandbox } : {}), sandboxNote: status?.note ?? BACKGROUND_SANDBOX_NOTE });
  return {
    tools,
    close: async () => {
      killAllShellProcesses();
      await sandbox?.close();
    },
  };
}

/** The catalog as served: with a warning on each agent for the tools it lists that no run is offered. */
export function annotateCatalog(config: Pick<Config, 'mcpServers'>): (catalog: Catalog) => Catalog {
  const upstreamServers = Object.keys(config.mcpServers);
  return (catalog) => withUnavailableToolWarnings(catalog, OFFERED_TOOL_NAMES, { upstreamServers });
}
