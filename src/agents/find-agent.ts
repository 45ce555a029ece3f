/** Finding an agent by the name someone gave: one rule for `agents-mcp run`, single mode's `delegate` and nested runs. */
import type { AgentDefinition } from './definition.js';
import { toToolName } from './tool-name.js';

/**
 * The agent `wanted` names: its tool name, its name as written, or the tool name `wanted` makes
 * (so `backend-engineer`, `Backend Engineer` and `backend engineer` all find the agent named
 * "Backend Engineer"). A name makes its tool name and tool names are unique in a catalog, so
 * these never point at two agents. Undefined when none matches.
 *
 * This is how a person or a client finds an agent. Whether one agent may start another is a
 * different, stricter question: the Agent tool's allow-list (run/run-tools.ts).
 */
export function findAgent(agents: Iterable<AgentDefinition>, wanted: string): AgentDefinition | undefined {
  const made = toToolName(wanted);
  let normalized: AgentDefinition | undefined;
  for (const agent of agents) {
    if (agent.toolName === wanted || agent.name === wanted) return agent;
    if (made !== '' && agent.toolName === made) normalized ??= agent;
  }
  return normalized;
}
