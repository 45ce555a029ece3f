/**
 * Wiring: Config → catalog, tools and model backend → an MCP server on a transport.
 */
import { realpathSync } from 'node:fs';
import os from 'node:os';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { configSecrets, type Config } from '../config.js';
import { createRedactor } from '../redact.js';
import type { Logger } from '../log.js';
import { createAnthropicClient, hasCredentials } from '../run/anthropic.js';
import type { CallAgentDeps } from '../run/call-agent.js';
import { chooseModelClient } from '../run/choose-backend.js';
import { ModelError } from '../run/model.js';
import { createRunner, type Runner } from '../run/runner.js';
import { createRunSlots } from '../run/run-slots.js';
import { createRunStore } from '../run/run-store.js';
import type { Catalog } from '../agents/catalog.js';
import type { AgentDefinition } from '../agents/definition.js';
import { createUpstreamPool, type UpstreamPool } from '../tools/upstream/pool.js';
import { createUpstreamToolSource } from '../tools/upstream/upstream-tools.js';
import { createAgentTasks } from './agent-tasks.js';
import { createAllTools } from '../tools/all-tools.js';
import { BACKGROUND_SANDBOX_NOTE, findMissingSandboxPrograms, openBashSandbox, openBashSandboxOnFirstUse, UNSANDBOXED_REACH } from '../tools/shell/bash-sandbox.js';
import { DEFAULT_PERMISSION_MODE } from '../tools/permissions/permission-mode.js';
import { createProtectedPaths } from '../tools/permissions/protected-paths.js';
import { killAllShellProcesses } from '../tools/shell/shell-process.js';
import { OFFERED_TOOL_NAMES, withUnavailableToolWarnings } from '../tools/tool-availability.js';
import type { Tool } from '../tools/tool.js';
import { openCatalogSource } from './catalog-source.js';
import { createHub, type Hub } from './hub.js';
import type { ListingOptions } from './listings.js';
import { compactDescription } from './tool-description.js';
import { createMcpServer, type AgentCaller } from './publish.js';
import { describeClientSampling } from './sampling-access.js';
import { serveStdio } from './stdio.js';
import { createLiveRuns } from './live-runs.js';
import type { ModernServerFactory } from './modern-leg.js';
import { SERVER_INSTRUCTIONS } from './publish.js';
import { serveHttp } from './http.js';
import { openStore } from '../store/create-store.js';

/** How long a 2026 client may cache the lists while the agent folders are watched (changes are also pushed). */
const WATCHED_LIST_TTL_MS = 10_000;
/** … and when they are not watched: the catalog cannot change while we run. */
const FIXED_LIST_TTL_MS = 60 * 60 * 1000;

export interface StartOptions {
  config: Config;
  logger: Logger;
  version: string;
  toolDescriptions: ListingOptions['toolDescriptions'];
  /** Default `per-agent`. */
  expose?: ListingOptions['expose'];
}

/** The model backend the config allows, or the reason there is none. */
function createModelClient(config: Config, logger: Logger): CallAgentDeps['client'] {
  if (!hasCredentials(config.anthropic)) {
    return new ModelError('no_credentials', 'No Anthropic credentials are set, so agents cannot run.');
  }
  return createAnthropicClient({ ...config.anthropic, timeoutMs: config.modelTimeoutMs, logger });
}

/** What calls share with the rest of the server (all optional: absent = that feature off). */
export interface CallDepsOptions {
  /** The upstream MCP pool every run shares. */
  pool?: UpstreamPool;
  /** The current catalog, for the Agent tool. */
  catalog?: () => Iterable<AgentDefinition>;
  /** The server's own tools; default: every tool, Bash unsandboxed (startServer passes the sandboxed set). */
  tools?: Tool[];
}

/** What every call needs, built once from the config: shared by the server and `agents-mcp run`. */
export function createCallDeps(config: Config, logger: Logger, options: CallDepsOptions = {}): CallAgentDeps {
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
export function createRunnerFromConfig(config: Config, logger: Logger, options: CallDepsOptions = {}): Runner {
  const runs = createRunStore({
    ...(config.runsDir ? { dir: config.runsDir } : {}),
    redactor: createRedactor(configSecrets(config)),
    onError: (err, runId) => logger.warn({ run_id: runId, err }, 'could not keep the run in --runs-dir'),
  });
  return createRunner({
    call: createCallDeps(config, logger, options),
    runs,
    ...(config.maxConcurrentRuns ? { slots: createRunSlots(config.maxConcurrentRuns) } : {}),
  });
}

/** The runner as the MCP server calls it; the model backend is chosen per call. */
export function createRunnerCaller(runner: Runner, config: Config): AgentCaller {
  const mode = config.modelBackend ?? 'auto';
  const client = runner.callDeps.client;
  const anthropic = client instanceof ModelError ? undefined : client;
  // Sampling belongs to the session that called, so the client cannot be fixed up front.
  return (ctx) => runner.call(ctx, { client: chooseModelClient({ mode, anthropic, sampling: ctx.caller?.sampling }) });
}

/** The agent caller every session shares. */
export function createAgentCaller(config: Config, logger: Logger, options: CallDepsOptions = {}): AgentCaller {
  return createRunnerCaller(createRunnerFromConfig(config, logger, options), config);
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

/** Load the catalog and serve it over stdio until the client goes away, or over HTTP until a signal. */
export async function startServer(options: StartOptions): Promise<void> {
  const { config, logger } = options;
  logger.info({ agentDirs: config.agentDirs, workspaces: config.workspaces, transport: config.transport, modelBackend: config.modelBackend ?? 'auto', anthropicCredentials: hasCredentials(config.anthropic) }, 'starting');
  // First: a Redis that cannot be reached stops the server before it serves anything.
  const store = await openStore(config.store, { logger });
  const { tools, close: closeTools } = await openServerTools(config, logger);
  const pool = createUpstreamPool({ logger, clientInfo: { name: 'agents-mcp', version: options.version } });
  let hub: Hub | undefined;
  const catalog = (): Iterable<AgentDefinition> => hub?.listings().byToolName.values() ?? [];
  const runner = createRunnerFromConfig(config, logger, { pool, catalog, tools });
  const tasks = createAgentTasks();
  const openHub = async (): Promise<Hub> => {
    hub = createHub({ source: await openCatalogSource({ dirs: config.agentDirs, watch: config.watch, logger, annotate: annotateCatalog(config) }), listing: { toolDescriptions: options.toolDescriptions, expose: options.expose ?? 'per-agent', agentServers: { allowAgentServers: config.allowAgentMcpServers } }, logger });
    return hub;
  };
  // One MCP server per session: stdio has one, HTTP one per session (or per request when stateless).
  const createServer = (h: Hub, callAgent: AgentCaller, principal?: string): Server => {
    const server = createMcpServer({
      // Only the HTTP leg names a principal: its clients are remote.
      ...(principal !== undefined ? { principal, remote: true } : {}),
      name: 'agents-mcp',
      version: options.version,
      listings: h.whenLoaded,
      callAgent,
      runs: runner,
      tasks,
      ...(config.progressIntervalMs ? { progressIntervalMs: config.progressIntervalMs } : {}),
    });
    server.oninitialized = () => logger.info(describeClientSampling(server), 'client connected');
    return server;
  };
  // 2026 callers: runs that outlive their request (input_required rounds, tasks). The SDK v2 leg
  // itself loads on a 2026 opening line (stdio), or at start, before the catalog (HTTP).
  const live = createLiveRuns();
  let modernLeg: Promise<ModernServerFactory> | undefined;
  const loadModern = (): Promise<ModernServerFactory> =>
    (modernLeg ??= import('./modern-leg.js').then(({ createModernLeg }) =>
      createModernLeg({
        name: 'agents-mcp',
        version: options.version,
        instructions: SERVER_INSTRUCTIONS,
        runs: runner,
        live,
        listTtlMs: config.watch ? WATCHED_LIST_TTL_MS : FIXED_LIST_TTL_MS,
        ...(config.progressIntervalMs ? { progressIntervalMs: config.progressIntervalMs } : {}),
      }),
    ));
  const callAgent = createRunnerCaller(runner, config);
  try {
    if (config.transport === 'http') {
      await serveHttp({ http: config.http, logger, openHub, callAgent, createServer, loadModern, live, storeStatus: () => store.status() });
    } else {
      await serveStdio({ openHub, createLegacyServer: (h) => createServer(h, callAgent), loadModern: async () => { const create = await loadModern(); return (h) => create(h, callAgent); }, live, logger });
    }
  } finally {
    // Task runs outlive their request; stop them and the task store's timers with the server.
    live.close();
    tasks.close();
    await closeTools();
    await pool.close();
    await store.close();
  }
}
