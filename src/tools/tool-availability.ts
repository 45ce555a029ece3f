/**
 * Which names an agent lists that a run would not be offered, as warnings on the agent: reported
 * once per agent (by `validate`, `list`, `agents://index` and the server's log), never on every
 * call. The agent loader (agents/) knows Claude Code's names but not our toolbox, so this combines
 * the two. Names the loader already flagged as unknown are not reported twice.
 */
import type { Catalog } from '../agents/catalog.js';
import type { AgentDefinition, Problem } from '../agents/definition.js';
import { isKnownToolName } from '../agents/tools.js';
import { SERVER_TOOL_NAMES } from './all-tools.js';
import { AGENT_TOOL_NAME } from './delegation/delegate.js';
import { baseName, findUnavailableToolEntries } from './toolbox.js';
import { reportAgentServers, type AgentServerPolicy } from './upstream/agent-servers.js';

/**
 * Every tool a run may be offered, by name: the server's toolbox and the Agent tool (offered to
 * agents that may delegate). Upstream `mcp__` tools come on top, from `--mcp-config`.
 */
export const OFFERED_TOOL_NAMES: readonly string[] = [...SERVER_TOOL_NAMES, AGENT_TOOL_NAME];

/** What else a run may be offered besides {@link OFFERED_TOOL_NAMES}. */
export interface ToolAvailabilityOptions {
  /** Names of the configured upstream MCP servers: any `mcp__<server>…` entry of theirs counts as offered. */
  upstreamServers?: readonly string[];
}

/** `mcp__server__tool`, `mcp__server` or `mcp__server__*` → `server`; undefined for other names. */
function upstreamServerOf(entry: string): string | undefined {
  const [prefix, server] = baseName(entry).split('__');
  return prefix === 'mcp' && server ? server : undefined;
}

/** One warning per known tool name the agent lists that `offered` lacks. */
export function findUnavailableToolProblems(agent: AgentDefinition, offered: readonly string[], options: ToolAvailabilityOptions = {}): Problem[] {
  const upstream = new Set(options.upstreamServers ?? []);
  return findUnavailableToolEntries({ tools: agent.tools, disallowedTools: agent.disallowedTools, available: offered })
    .filter((entry) => isKnownToolName(baseName(entry)))
    .filter((entry) => {
      const server = upstreamServerOf(entry);
      return server === undefined || !upstream.has(server);
    })
    .map((entry) => ({
      file: agent.file,
      code: 'unavailable-tool' as const,
      reason: entry.startsWith('mcp__')
        ? `tools: '${entry}' is not offered by this server (no --mcp-config server provides it); runs go on without it`
        : `tools: '${entry}' is a Claude Code tool this server does not offer; runs go on without it`,
    }));
}

/** The catalog with those warnings added to each agent (and to the warning count). */
export function withUnavailableToolWarnings(catalog: Catalog, offered: readonly string[] = OFFERED_TOOL_NAMES, options: ToolAvailabilityOptions = {}): Catalog {
  let added = 0;
  const agents = catalog.agents.map((agent) => {
    const problems = findUnavailableToolProblems(agent, offered, options);
    added += problems.length;
    return problems.length === 0 ? agent : { ...agent, warnings: [...agent.warnings, ...problems] };
  });
  return { ...catalog, agents, byToolName: new Map(agents.map((a) => [a.toolName, a])), warningCount: catalog.warningCount + added };
}

/**
 * The catalog with a warning for each agent-defined server (`mcpServers` inline entry): what it
 * starts or connects to, and whether a server with `policy` runs it — so `validate` shows which
 * agents ask for processes before anyone calls them.
 */
export function withAgentServerWarnings(catalog: Catalog, policy: AgentServerPolicy): Catalog {
  let added = 0;
  const agents = catalog.agents.map((agent) => {
    const problems: Problem[] = reportAgentServers(agent, policy).map((s) => ({
      file: agent.file,
      reason: s.runs ? `mcpServers.${s.name} ${s.does}; it runs (--allow-agent-mcp-servers)` : (s.reason ?? `mcpServers.${s.name} ${s.does}; not started`),
    }));
    added += problems.length;
    return problems.length === 0 ? agent : { ...agent, warnings: [...agent.warnings, ...problems] };
  });
  return { ...catalog, agents, byToolName: new Map(agents.map((a) => [a.toolName, a])), warningCount: catalog.warningCount + added };
}
