import { describe, expect, it } from 'vitest';
import type { DelegationNode } from '../tools/delegation/delegation-node.js';
import { totalCostUsd, totalUsage } from './delegation-tree.js';

const u = (n: number): DelegationNode['usage'] => ({ input_tokens: n, output_tokens: n, cache_creation_input_tokens: 0, cache_read_input_tokens: n });
const node = (agent: string, n: number, cost: number, delegations: DelegationNode[] = []): DelegationNode => ({
  agent,
  run_id: agent,
  model: 'm',
  stop_reason: 'end_turn',
  usage: u(n),
  cost_usd: cost,
  delegations,
});

describe('delegation totals', () => {
  it('sums the run and every nested run at any depth', () => {
    const tree = [node('child', 10, 0.25, [node('grandchild', 100, 0.5)]), node('sibling', 1, 0.125)];
    expect(totalUsage(u(1000), tree)).toEqual({ input_tokens: 1111, output_tokens: 1111, cache_creation_input_tokens: 0, cache_read_input_tokens: 1111 });
    expect(totalCostUsd(2, tree)).toBe(2.875);
  });

  it('is the run itself when nothing was delegated', () => {
    expect(totalUsage(u(3), [])).toEqual(u(3));
    expect(totalCostUsd(0.5, [])).toBe(0.5);
  });
});
