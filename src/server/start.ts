/**
 * Start the server: the runtime (runtime.ts) and the catalog → an MCP server per session on
 * stdio or HTTP, until the client goes away or a signal comes.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { configSecrets, type Config } from '../config.js';
import { createRedactor } from '../redact.js';
import type { Logger } from '../log.js';
import { hasCredentials } from '../run/anthropic.js';
import type { AgentDefinition } from '../agents/definition.js';
import { createUpstreamPool } from '../tools/upstream/pool.js';
import { annotateCatalog, createCallAgent, createRunnerFromConfig, openServerTools } from '../runtime.js';
import { createAgentTasks } from './agent-tasks.js';
import { openCatalogSource } from './catalog-source.js';
import { createHub, type Hub } from './hub.js';
import type { ListingOptions } from './listings.js';
import { createMcpServer, type CallAgent } from './publish.js';
import { describeClientSampling } from './sampling-access.js';
import { serveStdio } from './stdio.js';
import { createSharedLiveRuns } from './shared-live-runs.js';
import { createRunExecutor } from './live-run-executor.js';
import { sharedRequestStateKey } from './request-state-key.js';
import type { ModernServerFactory } from './modern-leg.js';
import { SERVER_INSTRUCTIONS } from './publish.js';
import { serveHttp } from './http.js';
import { openStore } from '../store/create-store.js';
import type { Store } from '../store/store.js';

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

/** Load the catalog and serve it over stdio until the client goes away, or over HTTP until a signal. */
export async function startServer(options: StartOptions): Promise<void> {
  const { config, logger } = options;
  logger.info({ agentDirs: config.agentDirs, workspaces: config.workspaces, transport: config.transport, modelBackend: config.modelBackend ?? 'auto', anthropicCredentials: hasCredentials(config.anthropic) }, 'starting');
  // First: a Redis that cannot be reached stops the server before it serves anything.
  const store = await openStore(config.store, { logger });
  const { tools, close: closeTools } = await openServerTools(config, logger);
  const pool = createUpstreamPool({ logger, clientInfo: { name: 'agents-mcp', version: options.version } });
  let hub: Hub | undefined;
  let hubLoaded: (hub: Hub) => void = () => undefined;
  // A run carried on from another replica may start before this one's catalog is loaded.
  const loadedHub = new Promise<Hub>((resolve) => (hubLoaded = resolve));
  const catalog = (): Iterable<AgentDefinition> => hub?.listings().byToolName.values() ?? [];
  const runner = createRunnerFromConfig(config, logger, { pool, catalog, tools, store });
  const tasks = createAgentTasks();
  const openHub = async (): Promise<Hub> => {
    hub = createHub({ source: await openCatalogSource({ dirs: config.agentDirs, watch: config.watch, logger, annotate: annotateCatalog(config) }), listing: { toolDescriptions: options.toolDescriptions, expose: options.expose ?? 'per-agent', agentServers: { allowAgentServers: config.allowAgentMcpServers } }, logger });
    hubLoaded(hub);
    return hub;
  };
  // One MCP server per session: stdio has one, HTTP one per session (or per request when stateless).
  const createServer = (h: Hub, callAgent: CallAgent, principal?: string): Server => {
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
  const callAgent = createCallAgent(runner, config);
  // Their state is in the store: with Redis, any replica answers for them and carries on the runs
  // of a replica that stopped.
  const live = await createSharedLiveRuns({
    store,
    logger,
    takeOver: config.store.engine === 'redis',
    redactor: createRedactor(configSecrets(config)),
    ...(config.runLeaseMs ? { leaseMs: config.runLeaseMs } : {}),
    execute: createRunExecutor({ listings: async () => (await loadedHub).listings(), callAgent, runs: runner, ...(config.progressIntervalMs ? { progressIntervalMs: config.progressIntervalMs } : {}) }),
  });
  let modernLeg: Promise<ModernServerFactory> | undefined;
  const loadModern = (): Promise<ModernServerFactory> =>
    (modernLeg ??= Promise.all([import('./modern-leg.js'), sharedRequestStateKey(store)]).then(([{ createModernLeg }, stateKey]) =>
      createModernLeg({
        name: 'agents-mcp',
        version: options.version,
        instructions: SERVER_INSTRUCTIONS,
        runs: runner,
        live,
        stateKey,
        listTtlMs: config.watch ? WATCHED_LIST_TTL_MS : FIXED_LIST_TTL_MS,
      }),
    ));
  try {
    if (config.transport === 'http') {
      // SIGTERM with a shared store: this replica's runs go on at once on the others (a rolling deploy loses nothing).
      const handOff = config.store.engine === 'redis';
      await serveHttp({ http: config.http, logger, openHub, callAgent, createServer, loadModern, live, storeStatus: () => store.status(), onStopping: () => live.close({ handOff }) });
    } else {
      await serveStdio({ openHub, createLegacyServer: (h) => createServer(h, callAgent), loadModern: async () => { const create = await loadModern(); return (h) => create(h); }, live, logger });
    }
  } finally {
    // Task runs outlive their request; stop them and the task store's timers with the server.
    await live.close();
    tasks.close();
    await closeTools();
    await pool.close();
    await store.close();
  }
}
