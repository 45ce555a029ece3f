/**
 * `validate`'s view of tools: which names an agent lists that this server does not offer. The
 * agent loader (agents/) knows Claude Code's names but not our toolbox, so the CLI combines the two
 * here. Names the loader already flagged as unknown are not reported twice.
 */
import type { Catalog } from '../agents/catalog.js';
import type { AgentDefinition, Problem } from '../agents/definition.js';
import { isKnownToolName } from '../agents/tools.js';
import { baseName, findUnavailableToolEntries } from './toolbox.js';
import { reportAgentServers, type AgentServerPolicy } from './upstream/agent-servers.js';

/** One warning per known tool name the agent lists that `offered` lacks. */
export function findUnavailableToolProblems(agent: AgentDefinition, offered: readonly string[]): Problem[] {
  return findUnavailableToolEntries({ tools: agent.tools, disallowedTools: agent.disallowedTools, available: offered })
    .filter((entry) => isKnownToolName(baseName(entry)))
    .map((entry) => ({
      file: agent.file,
      code: 'unavailable-tool' as const,
      reason: entry.startsWith('mcp__')
        ? `tools: '${entry}' is not offered by this server (no upstream MCP server provides it); runs go on without it`
        : `tools: '${entry}' is a Claude Code tool this server does not offer; runs go on without it`,
    }));
}

/** The catalog with those warnings added to each agent (and to the warning count). */
export function withUnavailableToolWarnings(catalog: Catalog, offered: readonly string[]): Catalog {
  let added = 0;
  const agents = catalog.agents.map((agent) => {
    const problems = findUnavailableToolProblems(agent, offered);
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
