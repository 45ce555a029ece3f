/**
 * The tools a run gets beyond the server's fixed ones: the upstream MCP tools the agent may use
 * (connected now, at run start) and the Agent tool for delegation, with what the tools need to
 * know about the run (chain, runNested, where nested runs are recorded).
 */
import type { AgentDefinition } from '../agents/definition.js';
import { findAgent } from '../agents/find-agent.js';
import type { ChainLink } from '../tools/delegation/chain.js';
import { allowedSubagents, ANY_AGENT, createAgentTool, type DelegateTarget } from '../tools/delegation/delegate.js';
import type { DelegationNode } from '../tools/delegation/delegation-node.js';
import type { Tool } from '../tools/tool.js';
import type { PermissionMode } from '../tools/permissions/permission-mode.js';
import type { UpstreamToolSource } from '../tools/upstream/tool-source.js';
import type { RunOptions } from './loop.js';
import type { RunResult } from './result.js';
import { createRunNested, type NestedCall } from './nested-run.js';

/** The agents a run may delegate to. */
export interface DelegationCatalog {
  /** The current catalog (read at every run start, so hot reload applies). */
  agents: () => Iterable<AgentDefinition>;
  /** The short description the Agent tool lists for an agent. Default: the description as written. */
  describe?: (agent: AgentDefinition) => string;
}

/** What {@link assembleRunTools} needs. */
export interface RunToolsOptions {
  agent: AgentDefinition;
  /** The run's chain, ending with the run itself. */
  chain: readonly ChainLink[];
  signal: AbortSignal;
  maxDepth: number;
  /** The run's permission mode (plan starts no agent-defined upstream process). */
  mode?: PermissionMode;
  upstream?: UpstreamToolSource;
  delegation?: DelegationCatalog;
  /** Runs a nested agent (prepareAndRun with the parent's dependencies). */
  call: (nested: NestedCall) => Promise<RunResult>;
}

/** The extra tools of a run and the context its tools get. */
export interface RunTools {
  tools: Tool[];
  warnings: string[];
  toolContext: NonNullable<RunOptions['toolContext']>;
  /** Filled while the run goes on: one node per nested run. */
  delegations: DelegationNode[];
}

function mayDelegate(agent: AgentDefinition): boolean {
  const allowed = allowedSubagents(agent.tools);
  return allowed === ANY_AGENT || allowed.length > 0;
}

function isListing(agent: AgentDefinition): boolean {
  return agent.tools?.some((t) => t === 'Agent' || t.startsWith('Agent(')) === true;
}

/**
 * Whether an allow-list (`Agent(x, y)` entries, read by allowedSubagents) lets a run start `agent`:
 * an entry names it by its name or its tool name, exactly as written — stricter than findAgent.
 */
function mayStart(allowed: ReturnType<typeof allowedSubagents>, agent: AgentDefinition): boolean {
  return allowed === ANY_AGENT || allowed.includes(agent.name) || allowed.includes(agent.toolName);
}

/** Build the Agent tool for this run, or say why there is none. */
function createDelegation(options: RunToolsOptions): { tool?: Tool; warning?: string } {
  const { agent, chain, maxDepth, delegation } = options;
  if (!delegation || !mayDelegate(agent) || agent.disallowedTools.includes('Agent')) return {};
  if (chain.length >= maxDepth) {
    // As in Claude Code, an agent at the depth limit is not offered Agent at all.
    const warning = `Agent is not offered: this run is ${chain.length} agent(s) deep and the limit is ${maxDepth} (--max-depth).`;
    return isListing(agent) ? { warning } : {};
  }
  const allowed = allowedSubagents(agent.tools);
  const describe = delegation.describe ?? ((a: AgentDefinition) => a.description);
  const targets: DelegateTarget[] = [];
  for (const a of delegation.agents()) {
    if (mayStart(allowed, a)) targets.push({ name: a.name, description: describe(a) });
  }
  if (targets.length === 0) {
    return isListing(agent) ? { warning: `Agent is not offered: none of the agents it may start (${[allowed].flat().join(', ')}) is in the catalog.` } : {};
  }
  const onChain = new Set(chain.map((l) => l.agent));
  return { tool: createAgentTool({ targets, listed: targets.filter((t) => !onChain.has(t.name)) }) };
}

/** Connect the agent's upstream servers and build its Agent tool. Never throws. */
export async function assembleRunTools(options: RunToolsOptions): Promise<RunTools> {
  const upstream = options.upstream ? await options.upstream.toolsFor(options.agent, options.signal, options.mode) : { tools: [], warnings: [] };
  const delegations: DelegationNode[] = [];
  const { tool: agentTool, warning } = createDelegation(options);
  // Looked up at call time, so an edit since the run started applies; still on the list, or not started.
  const allowed = allowedSubagents(options.agent.tools);
  const findTarget = (name: string): AgentDefinition | undefined => {
    const found = findAgent(options.delegation?.agents() ?? [], name);
    return found && mayStart(allowed, found) ? found : undefined;
  };
  return {
    tools: [...(agentTool ? [agentTool] : []), ...upstream.tools],
    warnings: [...upstream.warnings, ...(warning ? [warning] : [])],
    toolContext: {
      chain: options.chain,
      recordDelegation: (node) => delegations.push(node),
      ...(agentTool
        ? { runNested: createRunNested({ chain: options.chain, signal: options.signal, findTarget, call: options.call, delegations }) }
        : {}),
    },
    delegations,
  };
}
