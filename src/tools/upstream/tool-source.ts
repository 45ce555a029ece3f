/**
 * The upstream tools of one run: connect the servers the agent may use (and only those), list
 * their tools as `mcp__<server>__<tool>`, and add the resource tools when a server has resources.
 */
import type { AgentDefinition } from '../../agents/definition.js';
import type { PermissionMode } from '../permissions/permission-mode.js';
import type { Tool } from '../tool.js';
import { selectServers, type NamedServer } from './agent-servers.js';
import type { UpstreamToolInfo } from './connection.js';
import type { UpstreamPool } from './pool.js';
import { createResourceTools } from './resource-tools.js';
import type { UpstreamServerConfig } from './server-config.js';
import { upstreamToolName } from './tool-names.js';
import { createUpstreamTool } from './upstream-tool.js';

/** What a run gets from its upstream servers. */
export interface UpstreamTools {
  tools: Tool[];
  /** One line per server that is unavailable, tool that cannot be offered, or bad `mcpServers` entry. */
  warnings: string[];
}

/** Where a run's upstream tools come from. */
export interface UpstreamToolSource {
  /**
   * The tools `agent` may get from upstream servers in a run in `mode` (plan starts no
   * agent-defined process). Never throws; waits at most the connect timeout.
   */
  toolsFor(agent: AgentDefinition, signal: AbortSignal, mode?: PermissionMode): Promise<UpstreamTools>;
}

/**
 * Create the source over the configured servers and the shared pool. `allowAgentServers`
 * (`--allow-agent-mcp-servers`, default false) lets agents' inline entries start processes.
 */
export function createUpstreamToolSource(options: { configured: Readonly<Record<string, UpstreamServerConfig>>; pool: UpstreamPool; allowAgentServers?: boolean }): UpstreamToolSource {
  const { configured, pool } = options;
  return {
    async toolsFor(agent, signal, mode) {
      const selection = selectServers(agent, configured, { allowAgentServers: options.allowAgentServers === true, ...(mode ? { mode } : {}) });
      const warnings = [...selection.warnings];
      if (selection.servers.length === 0) return { tools: [], warnings };
      const acquired = await pool.acquire(selection.servers, signal);
      const tools: Tool[] = [];
      const taken = new Set<string>();
      const withResources: NamedServer[] = [];
      for (const entry of acquired) {
        const { server } = entry;
        if (!('connection' in entry)) {
          warnings.push(`Upstream MCP server "${server.name}" is unavailable, so its tools are absent from this run: ${entry.problem.split('\n')[0]}`);
          continue;
        }
        let listed: UpstreamToolInfo[];
        try {
          listed = await entry.connection.listTools();
        } catch (err) {
          warnings.push(`Upstream MCP server "${server.name}" could not list its tools, so they are absent from this run: ${err instanceof Error ? err.message : String(err)}`);
          continue;
        }
        if (entry.connection.hasResources) withResources.push(server);
        for (const info of listed) {
          if (info.taskRequired) continue; // Runs only as an MCP task, which this client does not do.
          const modelName = upstreamToolName(server.name, info.name);
          if (modelName === undefined) {
            warnings.push(`Tool "${info.name}" of upstream server "${server.name}" is left out: mcp__${server.name}__${info.name} is longer than the 64 characters the model API accepts.`);
          } else if (taken.has(modelName)) {
            warnings.push(`Tool "${info.name}" of upstream server "${server.name}" is left out: another tool already has the name ${modelName}.`);
          } else {
            taken.add(modelName);
            tools.push(createUpstreamTool({ server, info, modelName, pool }));
          }
        }
      }
      if (withResources.length > 0) tools.unshift(...createResourceTools(withResources, pool));
      return { tools, warnings };
    },
  };
}
