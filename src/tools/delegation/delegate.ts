/**
 * Agent (legacy name Task): Claude Code's delegation tool. Runs another agent of the catalog on a
 * self-contained task, as a nested run, and returns its final answer. How the nested run is made
 * (chain, depth and cycle guard, deadline, usage roll-up) is the caller's business: this tool only
 * checks the input and hands it to {@link ToolContext.runNested}.
 */
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { LocalTool } from '../tool.js';
import { textResult } from '../tool.js';

/** An agent the Agent tool may start. */
export interface DelegateTarget {
  name: string;
  /** One or two sentences: what the agent is for. */
  description: string;
}

/** The Agent tool's input, in Claude Code's shape. */
const DelegateInput = z.object({
  description: z.string().describe('A short (3-5 word) description of the task'),
  prompt: z.string().min(1).describe('The task for the agent to perform'),
  subagent_type: z.string().min(1).describe('The type of specialized agent to use for this task'),
  model: z
    .enum(['sonnet', 'opus', 'haiku', 'fable'])
    .optional()
    .describe("Optional model override for this agent. Takes precedence over the agent definition's model. If omitted, the agent's own model is used."),
});

/** Every agent may be started. */
export const ANY_AGENT = 'any';

/** The delegation tool's name, as Claude Code calls it (`Task` is its legacy name). */
export const AGENT_TOOL_NAME = 'Agent';

/**
 * Which agents an agent's `tools` lets it start: `tools` absent or a plain `Agent` entry → any;
 * `Agent(x, y)` entries → those names (their union); no Agent entry → none.
 */
export function allowedSubagents(tools: readonly string[] | undefined): typeof ANY_AGENT | string[] {
  if (tools === undefined || tools.includes('Agent')) return ANY_AGENT;
  const names: string[] = [];
  for (const entry of tools) {
    const match = /^Agent\((.*)\)$/s.exec(entry);
    if (match?.[1] === undefined) continue;
    for (const name of match[1].split(',').map((n) => n.trim())) if (name && !names.includes(name)) names.push(name);
  }
  return names;
}

/**
 * Budget of the agent list in the Agent tool's description, in characters. The description is
 * sent on every turn; past the budget, agents are listed by name only.
 */
export const AGENT_LIST_BUDGET_CHARS = 8000;

function listTargets(targets: readonly DelegateTarget[]): string {
  const lines: string[] = [];
  let used = 0;
  let i = 0;
  for (; i < targets.length; i++) {
    const line = `- ${targets[i]!.name}: ${targets[i]!.description}`;
    if (used + line.length > AGENT_LIST_BUDGET_CHARS) break;
    lines.push(line);
    used += line.length + 1;
  }
  if (i < targets.length) lines.push(`- and ${targets.length - i} more: ${targets.slice(i).map((t) => t.name).join(', ')}`);
  return lines.join('\n');
}

function describeTool(targets: readonly DelegateTarget[]): string {
  const list = listTargets(targets);
  return [
    'Launch another agent to handle a task on its own. It starts with a fresh conversation: it sees nothing of yours, so give it a complete, self-contained prompt with every detail it needs, and say what it should return. Its final answer comes back as this tool\'s result; it is not shown to the user, so pass on what matters.',
    '',
    `Available agent types (subagent_type):\n${list || '(none)'}`,
  ].join('\n');
}

/**
 * Create the Agent tool offering `targets` (already narrowed to what the calling agent may start).
 * `listed` are the targets named in the description; others among `targets` (e.g. agents already on
 * the chain) are accepted and left to the guard, whose refusal tells the model why.
 */
export function createAgentTool(options: { targets: readonly DelegateTarget[]; listed?: readonly DelegateTarget[] }): LocalTool {
  const { targets } = options;
  return defineTool({
    name: AGENT_TOOL_NAME,
    description: describeTool(options.listed ?? targets),
    schema: DelegateInput,
    kind: 'delegate',
    async execute(input, ctx) {
      const target = targets.find((t) => t.name === input.subagent_type);
      if (!target) {
        const names = targets.map((t) => t.name).join(', ') || 'none';
        return textResult(`Agent: no agent type "${input.subagent_type}" is available to you. Available: ${names}.`, true);
      }
      if (!ctx.runNested) return textResult('Agent: delegation is not available in this run; do the task yourself.', true);
      return ctx.runNested({
        agent: target.name,
        prompt: input.prompt,
        description: input.description,
        ...(input.model !== undefined ? { model: input.model } : {}),
        ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
        signal: ctx.signal,
      });
    },
  });
}
