/**
 * Wiring: Config → catalog, tools and model backend → an MCP server on a transport.
 */
import { realpathSync } from 'node:fs';
import os from 'node:os';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { createAnthropicClient, hasCredentials } from '../run/anthropic.js';
import { callAgent, type CallAgentDeps } from '../run/call-agent.js';
import { ModelError } from '../run/model.js';
import { createAllTools } from '../tools/all-tools.js';
import { openBashSandbox } from '../tools/bash-sandbox.js';
import { DEFAULT_PERMISSION_MODE } from '../tools/permission-mode.js';
import { killAllShellProcesses } from '../tools/shell-process.js';
import type { Tool } from '../tools/tool.js';
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

/**
 * The agent caller every session shares.
 * @param tools the server's toolbox; default: every tool, Bash unsandboxed (startServer passes the sandboxed set).
 */
export function createAgentCaller(config: Config, logger: Logger, tools: Tool[] = createAllTools()): AgentCaller {
  const deps: CallAgentDeps = {
    settings: {
      defaultModel: config.defaultModel,
      modelAliases: config.modelAliases,
      maxTurns: config.maxTurns,
      maxOutputTokens: config.maxOutputTokens,
      roots: config.workspaces.map((w) => realpathSync(w)),
      permissionMode: config.permissionMode ?? DEFAULT_PERMISSION_MODE,
      allowBash: config.allowBash ?? [],
    },
    tools,
    client: createModelClient(config),
    logger,
  };
  return (agent, prompt, signal, context) => callAgent(deps, { agent, prompt, signal, ...context });
}

/** Load the catalog and serve it over stdio until the client goes away. */
export async function startServer(options: StartOptions): Promise<void> {
  const { config, logger } = options;
  logger.info({ agentDirs: config.agentDirs, workspaces: config.workspaces, backend: hasCredentials(config.anthropic) ? 'anthropic' : 'none' }, 'starting');
  const source = await openCatalogSource({ dirs: config.agentDirs, watch: config.watch, logger });
  const hub = createHub({ source, listing: { toolDescriptions: options.toolDescriptions }, logger });
  const bash = await openBashSandbox({
    setting: config.bashSandbox ?? 'auto',
    roots: config.workspaces.map((w) => realpathSync(w)),
    homeDir: os.homedir(),
  });
  logger.info({ permission_mode: config.permissionMode ?? DEFAULT_PERMISSION_MODE, allow_bash: config.allowBash?.length ?? 0 }, bash.note);
  const tools = createAllTools({ ...(bash.sandbox ? { sandbox: bash.sandbox } : {}), sandboxNote: bash.note });
  const server = createMcpServer({ name: 'agents-mcp', version: options.version, listings: hub.listings, callAgent: createAgentCaller(config, logger, tools) });
  try {
    await serveStdio({ hub, server, logger });
  } finally {
    // Detached shell groups would outlive the server; stop them, then the sandbox's proxies.
    killAllShellProcesses();
    await bash.sandbox?.close();
  }
}
