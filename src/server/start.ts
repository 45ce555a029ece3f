/**
 * Wiring: Config → catalog, tools and model backend → an MCP server on a transport.
 */
import { realpathSync } from 'node:fs';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createAnthropicClient, hasCredentials } from '../run/anthropic.js';
import { callAgent, type CallAgentDeps } from '../run/call-agent.js';
import { ModelError } from '../run/model.js';
import { createFileTools } from '../tools/registry.js';
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
  /** Default `per-agent`. */
  expose?: ListingOptions['expose'];
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
  const deps: CallAgentDeps = {
    settings: {
      defaultModel: config.defaultModel,
      modelAliases: config.modelAliases,
      maxTurns: config.maxTurns,
      maxOutputTokens: config.maxOutputTokens,
      roots: config.workspaces.map((w) => realpathSync(w)),
    },
    tools: createFileTools(),
    client: createModelClient(config),
    logger,
  };
  return (agent, prompt, signal) => callAgent(deps, { agent, prompt, signal });
}

/** Load the catalog and serve it over stdio until the client goes away. */
export async function startServer(options: StartOptions): Promise<void> {
  const { config, logger } = options;
  logger.info({ agentDirs: config.agentDirs, workspaces: config.workspaces, backend: hasCredentials(config.anthropic) ? 'anthropic' : 'none' }, 'starting');
  const source = await openCatalogSource({ dirs: config.agentDirs, watch: config.watch, logger });
  const hub = createHub({ source, listing: { toolDescriptions: options.toolDescriptions, expose: options.expose ?? 'per-agent' }, logger });
  const server = createMcpServer({ name: 'agents-mcp', version: options.version, listings: hub.listings, callAgent: createAgentCaller(config, logger) });
  await serveStdio({ hub, server, logger });
}
