/**
 * `--expose single`: two tools in place of one tool per agent. `delegate` runs any agent by name
 * and `list_agents` says what each one does, so what a client's model reads about this server
 * stays the same size however many agents are served (the agent names in `delegate`'s
 * description are capped; `list_agents` and the `agents://index` resource have the rest).
 */
import type { CallToolResult, Tool as McpTool } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { AgentDefinition } from '../agents/definition.js';
import { findAgent } from '../agents/find-agent.js';
import { compactDescription } from '../agents/compact-description.js';

export const DELEGATE_TOOL = 'delegate';
export const LIST_AGENTS_TOOL = 'list_agents';

/** Characters of agent names `delegate`'s description may carry (~250 tokens); the rest are counted. */
export const DELEGATE_NAMES_MAX_CHARS = 1000;
/** Agents one `list_agents` answer lists at most; a `query` narrows the rest down. */
export const LIST_AGENTS_MAX = 100;
/** Length of the one-line description `list_agents` gives per agent. */
export const LIST_AGENTS_DESCRIPTION_MAX_CHARS = 100;

/** Which tool a call reaches, after routing: an agent with its input, or a finished result. */
export type RoutedCall = { name: string; arguments: Record<string, unknown> } | CallToolResult;

const DelegateInput = z.object({
  agent: z.string().min(1, 'agent must name one of the agents'),
  prompt: z.string().min(1, 'prompt must not be empty'),
});
const ListAgentsInput = z.object({ query: z.string().optional() });

/** `a, b, c and 12 more`, holding at most `maxChars` characters of names. */
export function listNames(toolNames: readonly string[], maxChars = DELEGATE_NAMES_MAX_CHARS): string {
  const shown: string[] = [];
  let used = 0;
  for (const name of toolNames) {
    if (used + name.length + 2 > maxChars) break;
    shown.push(name);
    used += name.length + 2;
  }
  const rest = toolNames.length - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} more` : shown.join(', ');
}

/** The two tools of single mode for the agents served now. */
export function buildSingleTools(agents: readonly AgentDefinition[], outputSchema: McpTool['outputSchema']): McpTool[] {
  const names = agents.length > 0 ? listNames(agents.map((a) => a.toolName)) : 'none yet';
  return [
    {
      name: DELEGATE_TOOL,
      title: 'Delegate to an agent',
      description: `Run a specialised sub-agent on a self-contained task and return its final answer. Agents: ${names}. Call ${LIST_AGENTS_TOOL} for what each does.`,
      inputSchema: {
        type: 'object',
        properties: { agent: { type: 'string' }, prompt: { type: 'string' } },
        required: ['agent', 'prompt'],
      },
      ...(outputSchema ? { outputSchema } : {}),
      annotations: { title: 'Delegate to an agent', readOnlyHint: false, openWorldHint: true },
    },
    {
      name: LIST_AGENTS_TOOL,
      title: 'List agents',
      description: `Names and one-line descriptions of the agents ${DELEGATE_TOOL} can run. Optional query: words to look for.`,
      inputSchema: { type: 'object', properties: { query: { type: 'string' } } },
      annotations: { title: 'List agents', readOnlyHint: true, openWorldHint: false },
    },
  ];
}

function errorResult(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

function invalidInput(tool: string, error: z.ZodError, shape: string): CallToolResult {
  const detail = error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  return errorResult(`Invalid arguments for ${tool}: ${detail}. Send ${shape}.`);
}

/** Agents whose name or description holds every word of `query` (case-insensitive), as lines. */
export function listAgents(agents: readonly AgentDefinition[], query = ''): string {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  const matches = agents.filter((a) => {
    const haystack = `${a.toolName} ${a.name} ${a.description}`.toLowerCase();
    return words.every((w) => haystack.includes(w));
  });
  if (matches.length === 0) {
    return words.length > 0 ? `No agent matches "${query}". Call ${LIST_AGENTS_TOOL} without a query for all ${agents.length}.` : 'No agents are served.';
  }
  const lines = matches.slice(0, LIST_AGENTS_MAX).map((a) => `${a.toolName}: ${compactDescription(a.description, LIST_AGENTS_DESCRIPTION_MAX_CHARS)}`);
  const rest = matches.length - LIST_AGENTS_MAX;
  if (rest > 0) lines.push(`… and ${rest} more; narrow them down with query.`);
  return lines.join('\n');
}

/**
 * Route a tools/call in single mode: `delegate` becomes a call of the named agent's tool with
 * `{ prompt }` (and any other argument given); `list_agents` is answered here; an unknown agent is an isError result that
 * lists the agents. Returns undefined for any other tool name (the caller reports it unknown).
 */
export function routeSingleModeCall(
  byToolName: ReadonlyMap<string, AgentDefinition>,
  params: { name: string; arguments?: Record<string, unknown> },
): RoutedCall | undefined {
  if (params.name === LIST_AGENTS_TOOL) {
    const input = ListAgentsInput.safeParse(params.arguments ?? {});
    if (!input.success) return invalidInput(LIST_AGENTS_TOOL, input.error, '{"query": "<words>"} or {}');
    return { content: [{ type: 'text', text: listAgents([...byToolName.values()], input.data.query) }] };
  }
  if (params.name !== DELEGATE_TOOL) return undefined;
  const input = DelegateInput.safeParse(params.arguments ?? {});
  if (!input.success) return invalidInput(DELEGATE_TOOL, input.error, '{"agent": "<agent name>", "prompt": "<the task>"}');
  // The listed tool name, or the agent's name as written ("Backend Engineer").
  const agent = findAgent(byToolName.values(), input.data.agent);
  if (!agent) {
    return errorResult(
      `Unknown agent "${input.data.agent}". Agents: ${listNames([...byToolName.keys()]) || 'none'}. Call ${LIST_AGENTS_TOOL} to find one by what it does.`,
    );
  }
  // Any other argument (e.g. one a later version of the agent tools takes) passes through.
  const { agent: _named, ...rest } = params.arguments ?? {};
  return { name: agent.toolName, arguments: { ...rest, prompt: input.data.prompt } };
}
