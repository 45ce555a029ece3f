/**
 * `validate`'s note on web tools under sampling: WebSearch and WebFetch are server tools the
 * Anthropic API runs itself, so an agent that lists them loses them when it runs on the calling
 * client's model (MCP sampling). A run says so in its warnings (loop.ts); validate says so ahead,
 * when the environment it runs in has no Anthropic credentials (so `--model-backend auto` would
 * pick sampling).
 */
import type { Catalog } from '../agents/catalog.js';
import type { AgentDefinition, Problem } from '../agents/definition.js';

/** Claude Code's web tools, which map to the API's server tools. */
export const WEB_TOOL_NAMES: readonly string[] = ['WebSearch', 'WebFetch'];

/** The web tools `agent` lists by name (and does not disallow). */
export function listedWebTools(agent: Pick<AgentDefinition, 'tools' | 'disallowedTools'>): string[] {
  return WEB_TOOL_NAMES.filter((name) => agent.tools?.some((t) => t === name || t.startsWith(`${name}(`)) && !agent.disallowedTools.includes(name));
}

/** The warning for an agent whose web tools cannot run on sampling, or undefined. */
export function findSamplingWebToolProblem(agent: AgentDefinition): Problem | undefined {
  const names = listedWebTools(agent);
  if (names.length === 0) return undefined;
  return {
    file: agent.file,
    code: 'unavailable-tool',
    reason: `tools: ${names.join(', ')} run on the Anthropic API's side; on the sampling backend (no ANTHROPIC_API_KEY, or --model-backend sampling) the agent runs without ${names.length === 1 ? 'it' : 'them'}`,
  };
}

/** The catalog with that warning added to each agent it applies to. */
export function withSamplingWebToolWarnings(catalog: Catalog): Catalog {
  let added = 0;
  const agents = catalog.agents.map((agent) => {
    const problem = findSamplingWebToolProblem(agent);
    if (!problem) return agent;
    added++;
    return { ...agent, warnings: [...agent.warnings, problem] };
  });
  return { ...catalog, agents, byToolName: new Map(agents.map((a) => [a.toolName, a])), warningCount: catalog.warningCount + added };
}
