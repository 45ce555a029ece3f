/**
 * The catalog as MCP sees it: tools, resources and prompts, computed once per catalog change
 * so that list requests cost a lookup, not a rebuild.
 */
import type { Prompt, Resource, Tool as McpTool } from '@modelcontextprotocol/server';
import type { AgentDefinition } from '../agents/definition.js';
import type { Catalog } from '../agents/catalog.js';
import { buildSingleTools } from './expose-single.js';
import { compactDescription } from '../agents/compact-description.js';
import { reportAgentServers, type AgentServerPolicy } from '../tools/upstream/agent-servers.js';

export const AGENT_URI_PREFIX = 'agent://';
export const INDEX_URI = 'agents://index';

/**
 * Input of every agent tool. Kept lean: every byte here is context in the client's model, once
 * per agent (what `prompt` should hold is said once, in the server's instructions).
 */
export const AGENT_INPUT_SCHEMA = {
  type: 'object',
  // `resume` (a run_id to continue) is explained once, in the server's instructions.
  properties: { prompt: { type: 'string' }, resume: { type: 'string' } },
  required: ['prompt'],
} as const satisfies McpTool['inputSchema'];

/**
 * Shape of every agent tool's structuredContent (tool-result.ts): its fields and their types, no
 * deeper; `warnings` appear only when the run has some, `delegations`, `total_usage` and
 * `total_cost_usd` only when it delegated (the
 * schema is repeated for every agent in tools/list, so each byte counts thousands of times;
 * `usage` holds the four token counts of the Messages API). The `$id` lets a client compile it
 * once for every agent: the MCP SDK's client compiles a validator per tool on tools/list unless
 * the schema has an `$id` it has seen (seconds at 3,000 agents without one). The nested shape of
 * `delegations` is documented in docs/upstream.md.
 */
export const AGENT_OUTPUT_SCHEMA = {
  $id: 'urn:agents-mcp:agent-result:2',
  type: 'object',
  properties: {
    answer: { type: 'string' },
    run_id: { type: 'string' },
    agent: { type: 'string' },
    model: { type: 'string' },
    backend: { type: 'string' },
    stop_reason: { type: 'string' },
    turns: { type: 'integer' },
    usage: { type: 'object' },
    cost_usd: { type: ['number', 'null'] },
    duration_ms: { type: 'integer' },
    warnings: { type: 'array' },
    delegations: { type: 'array' },
    total_usage: { type: 'object' },
    total_cost_usd: { type: ['number', 'null'] },
  },
  required: ['answer', 'run_id', 'agent', 'model', 'stop_reason', 'turns', 'usage', 'cost_usd', 'duration_ms'],
} as const satisfies NonNullable<McpTool['outputSchema']>;

/** `per-agent`: one tool per agent; `single`: one `delegate` tool and `list_agents` (see expose-single.ts). */
export type ExposeMode = 'per-agent' | 'single';

export interface ListingOptions {
  /** `compact` (default) strips examples and cuts long descriptions; `full` sends them as written. */
  toolDescriptions: 'compact' | 'full';
  /** Default `per-agent`. */
  expose?: ExposeMode;
  /** What the server allows of agents' own `mcpServers`, for the index (default: nothing that starts a process). */
  agentServers?: AgentServerPolicy;
}

export interface Listings {
  tools: McpTool[];
  /**
   * The tools as 2026-07-28 lists them: without `execution`, which that revision deleted (tasks
   * are an extension there). Made once per catalog on first use; the SDK v2 would otherwise copy
   * every tool on every tools/list to drop the field, and its copy misses the serialized cache.
   */
  modernTools: McpTool[];
  resources: Resource[];
  prompts: Prompt[];
  /** Agents by tool name (also the prompt name). */
  byToolName: ReadonlyMap<string, AgentDefinition>;
  /** The `agents://index` document, serialized once. */
  indexJson: string;
  /** How agents are offered as tools. */
  expose: ExposeMode;
}

function describe(agent: AgentDefinition, options: ListingOptions): string {
  return options.toolDescriptions === 'full' ? agent.description : compactDescription(agent.description);
}

/** The `agents://index` document: every agent and every skipped file. */
function indexOf(catalog: Catalog, policy: AgentServerPolicy): object {
  return {
    agents: catalog.agents.map((a) => ({
      name: a.name,
      tool_name: a.toolName,
      description: a.description,
      model: a.model,
      tools: a.tools ?? null,
      disallowed_tools: a.disallowedTools,
      source: a.file,
      // Which of the agent's own servers start a process, and whether this server lets them.
      mcp_servers: reportAgentServers(a, policy),
      warnings: a.warnings.map((w) => (w.line ? `${w.reason} (line ${w.line})` : w.reason)),
    })),
    skipped: catalog.skipped.map((s) => ({ file: s.file, reason: s.reason, ...(s.line ? { line: s.line } : {}) })),
  };
}

/** Tool arrays built here, each serialized at most once (see {@link serializedToolsAnswer}). */
const serializedTools = new WeakMap<readonly McpTool[], Buffer | undefined>();

/**
 * The stdio line answering tools/list with `result`, its tools serialized from a per-listing
 * cache, or undefined when `result.tools` is not a listing built here. At 3,000 agents the
 * answer is ~3 MiB and serializing it was most of a tools/list's cost (docs/benchmarks.md); a
 * listing changes only with the catalog, so its JSON is made once and reused for every request.
 * The result's other fields (the 2026 leg's cache hints, `_meta`) are serialized as usual.
 */
export function serializedToolsAnswer(id: string | number, result: unknown): Buffer[] | undefined {
  if (typeof result !== 'object' || result === null) return undefined;
  const { tools, ...rest } = result as { tools?: unknown };
  if (!Array.isArray(tools) || !serializedTools.has(tools)) return undefined;
  let body = serializedTools.get(tools);
  if (!body) {
    body = Buffer.from(JSON.stringify(tools), 'utf8');
    serializedTools.set(tools, body);
  }
  // `{"a":1}` → `,"a":1}`: the other fields follow the tools inside the same object.
  const others = Object.keys(rest).length === 0 ? '}' : `,${JSON.stringify(rest).slice(1)}`;
  return [Buffer.from(`{"jsonrpc":"2.0","id":${JSON.stringify(id)},"result":{"tools":`, 'utf8'), body, Buffer.from(`${others}}\n`, 'utf8')];
}

/** Build every listing for a catalog. */
export function buildListings(catalog: Catalog, options: ListingOptions): Listings {
  const tools: McpTool[] = [];
  const resources: Resource[] = [{ uri: INDEX_URI, name: 'index', title: 'Agent catalog', mimeType: 'application/json', description: 'Every agent with its tool name, model, tools, source and warnings; skipped files with reasons.' }];
  const prompts: Prompt[] = [];
  for (const agent of catalog.agents) {
    const description = describe(agent, options);
    tools.push({
      name: agent.toolName,
      title: agent.title,
      description,
      inputSchema: AGENT_INPUT_SCHEMA,
      outputSchema: AGENT_OUTPUT_SCHEMA,
      annotations: { title: agent.title, readOnlyHint: false, openWorldHint: true },
      // Long runs may be called as MCP tasks (poll for the result); plain calls work as well.
      execution: { taskSupport: 'optional' },
    });
    resources.push({ uri: `${AGENT_URI_PREFIX}${agent.toolName}`, name: agent.toolName, title: agent.title, mimeType: 'text/markdown', description });
    prompts.push({
      name: agent.toolName,
      title: agent.title,
      description,
      arguments: [{ name: 'task', description: 'What the agent should do.', required: true }],
    });
  }
  const expose = options.expose ?? 'per-agent';
  let indexJson: string | undefined;
  const listed = expose === 'single' ? buildSingleTools(catalog.agents, AGENT_OUTPUT_SCHEMA) : tools;
  // Listings are never mutated once built, so their JSON can be kept with them.
  serializedTools.set(listed, undefined);
  let modernTools: McpTool[] | undefined;
  return {
    tools: listed,
    get modernTools(): McpTool[] {
      if (!modernTools) {
        modernTools = listed.map(({ execution: _execution, ...tool }) => tool);
        serializedTools.set(modernTools, undefined);
      }
      return modernTools;
    },
    resources,
    prompts,
    byToolName: catalog.byToolName,
    // Serialized on first read, once per catalog: most sessions never read the index.
    get indexJson(): string {
      indexJson ??= JSON.stringify(indexOf(catalog, options.agentServers ?? {}), null, 2);
      return indexJson;
    },
    expose,
  };
}
