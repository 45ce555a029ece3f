/**
 * The delegation tree of a run, for its structuredContent: one node per nested run with its own
 * usage and cost, and the totals over the whole tree.
 */
import type { DelegationNode } from '../tools/delegation/delegation-node.js';
import type { RunResult } from './result.js';
import { addUsage, type Usage } from './usage.js';

/** A finished run as a node of its parent's tree. */
export function toDelegationNode(result: RunResult): DelegationNode {
  return {
    agent: result.agent,
    run_id: result.runId,
    model: result.model,
    stop_reason: result.stopReason,
    usage: result.usage,
    cost_usd: result.costUsd,
    delegations: result.delegations ?? [],
  };
}

/** The run's own usage plus every nested run's, at any depth. */
export function totalUsage(own: Usage, delegations: readonly DelegationNode[]): Usage {
  return delegations.reduce((sum, node) => totalUsage(addUsage(sum, node.usage), node.delegations), own);
}

/** The run's own cost plus every nested run's, at any depth, in USD; null when any of them has no known price. */
export function totalCostUsd(own: number | null, delegations: readonly DelegationNode[]): number | null {
  return delegations.reduce<number | null>((sum, node) => totalCostUsd(sum === null || node.cost_usd === null ? null : sum + node.cost_usd, node.delegations), own);
}
