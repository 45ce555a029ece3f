/**
 * One node of a run's delegation tree: a nested run (in this process, through the Agent tool, or
 * in an upstream agents-mcp reached over MCP) with its own usage and cost, and its own nested runs.
 * The wire shape (snake_case) is the one the tree has in an agent tool's structuredContent.
 */
import { z } from 'zod';

/** Token counts in the Messages API's names. */
export interface NodeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** A nested run and the runs it made in turn. */
export interface DelegationNode {
  agent: string;
  run_id: string;
  model: string;
  stop_reason: string;
  /** This run's own usage, without its delegations'. */
  usage: NodeUsage;
  /** This run's own cost in USD, without its delegations'; null when its model has no known price. */
  cost_usd: number | null;
  /** The upstream MCP server the run happened in; absent for runs in this process. */
  server?: string;
  delegations: DelegationNode[];
}

const count = z.number().int().nonnegative().catch(0);

const UsageSchema = z.object({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
});

/** Deepest tree accepted from the wire; bounds the recursion on untrusted input. */
const MAX_WIRE_TREE_DEPTH = 16;

/**
 * A DelegationNode-shaped object from an upstream server's structuredContent (an agents-mcp
 * agent tool's result has this shape at its top level). Unknown fields are dropped.
 */
export const DelegationNodeSchema: z.ZodType<DelegationNode> = z.object({
  agent: z.string().min(1),
  run_id: z.string(),
  model: z.string(),
  stop_reason: z.string(),
  usage: UsageSchema,
  cost_usd: z.number().nonnegative().nullable().catch(0),
  server: z.string().optional(),
  get delegations(): z.ZodType<DelegationNode[]> {
    return z.array(DelegationNodeSchema).catch([]);
  },
});

/** True when `value`'s `delegations` nest deeper than `limit`; looks no deeper than that. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  if (limit < 0) return true;
  const children = typeof value === 'object' && value !== null && 'delegations' in value ? value.delegations : undefined;
  return Array.isArray(children) && children.some((child) => nestsDeeperThan(child, limit - 1));
}

/**
 * Read an upstream tool's structuredContent as a run report, or undefined when it is not one
 * (any other tool's structured output) or nests deeper than we accept.
 */
export function readRunReport(structuredContent: unknown): DelegationNode | undefined {
  // Checked before parsing, so hostile nesting cannot make the recursive schema overflow the stack.
  if (nestsDeeperThan(structuredContent, MAX_WIRE_TREE_DEPTH)) return undefined;
  const parsed = DelegationNodeSchema.safeParse(structuredContent);
  return parsed.success ? parsed.data : undefined;
}
