/**
 * Wiring: Config → catalog, tools and model backend → an MCP server on a transport.
 */
import { realpathSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createAnthropicClient, hasCredentials } from '../run/anthropic.js';
import type { CallAgentDeps } from '../run/call-agent.js';
import { ModelError } from '../run/model.js';
import { createRunner, type Runner } from '../run/runner.js';
import { createRunSlots } from '../run/run-slots.js';
import { createRunStore } from '../run/run-store.js';
import { createFileTools } from '../tools/registry.js';
import { createAgentTasks } from './agent-tasks.js';
import { openCatalogSource } from './catalog-source.js';
import { createHub } from './hub.js';
import type { ListingOptions } from './listings.js';
import { createMcpServer, type AgentCaller } from './publish.js';
import { serveStdio } from './stdio.js';

export interface StartOptions {
  config: Config;
  logger: Logger;
  version: string;
  toolDescriptions: ListingOptions['toolDescriptions'];
}

/** The model backend the config allows, or the reason there is none. */
function createModelClient(config: Config): CallAgentDeps['client'] {
  if (!hasCredentials(config.anthropic)) {
    return new ModelError('no_credentials', 'No Anthropic credentials are set, so agents cannot run.');
  }
  return createAnthropicClient(config.anthropic);
}

/** The agent caller every session shares. */
export function createAgentCaller(config: Config, logger: Logger): AgentCaller {
  return createRunnerCaller(createRunnerFromConfig(config, logger));
}

/** The call dependencies the config describes. */
function createCallDeps(config: Config, logger: Logger): CallAgentDeps {
  return {
    settings: {
      defaultModel: config.defaultModel,
      modelAliases: config.modelAliases,
      maxTurns: config.maxTurns,
      maxOutputTokens: config.maxOutputTokens,
      roots: config.workspaces.map((w) => realpathSync(w)),
      ...(config.maxDurationMs !== undefined ? { maxDurationMs: config.maxDurationMs } : {}),
      ...(config.maxCostUsd !== undefined ? { maxCostUsd: config.maxCostUsd } : {}),
    },
    tools: createFileTools(),
    client: createModelClient(config),
    logger,
  };
}

/** The runner every session shares: one line for --max-concurrent-runs, one store of runs. */
export function createRunnerFromConfig(config: Config, logger: Logger): Runner {
  const runs = createRunStore({
    ...(config.runsDir ? { dir: config.runsDir } : {}),
    onError: (err, runId) => logger.warn({ run_id: runId, err }, 'could not keep the run in --runs-dir'),
  });
  return createRunner({
    call: createCallDeps(config, logger),
    runs,
    ...(config.maxConcurrentRuns ? { slots: createRunSlots(config.maxConcurrentRuns) } : {}),
  });
}

/** The runner as the MCP server calls it. */
export function createRunnerCaller(runner: Runner): AgentCaller {
  return (agent, prompt, signal, options = {}) => runner.call({ agent, prompt, signal, ...options });
}

/** Load the catalog and serve it over stdio until the client goes away. */
export async function startServer(options: StartOptions): Promise<void> {
  const { config, logger } = options;
  logger.info({ agentDirs: config.agentDirs, workspaces: config.workspaces, backend: hasCredentials(config.anthropic) ? 'anthropic' : 'none' }, 'starting');
  const source = await openCatalogSource({ dirs: config.agentDirs, watch: config.watch, logger });
  const hub = createHub({ source, listing: { toolDescriptions: options.toolDescriptions }, logger });
  const runner = createRunnerFromConfig(config, logger);
  const tasks = createAgentTasks();
  const server = createMcpServer({
    name: 'agents-mcp',
    version: options.version,
    listings: hub.listings,
    callAgent: createRunnerCaller(runner),
    runs: runner,
    tasks,
    ...(config.progressIntervalMs ? { progressIntervalMs: config.progressIntervalMs } : {}),
  });
  try {
    await serveStdio({ hub, server, logger });
  } finally {
    // Task runs outlive their request; stop them and the task store's timers with the server.
    tasks.close();
  }
}
