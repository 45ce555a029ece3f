import { describe, expect, it } from 'vitest';
import { TreeBudget } from './run-budget.js';

describe('TreeBudget', () => {
  it('nested runs started at once spend one remainder, not a snapshot each: parent $1, children $0.60 and $0.50, the second stops', () => {
    const parent = new TreeBudget({ maxTurns: 10, maxCostUsd: 1 });
    const first = parent.nested({ maxTurns: 10 });
    const second = parent.nested({ maxTurns: 10 });
    // Both were started before either spent anything: each may see the whole dollar as its cap.
    expect([first.limits.maxCostUsd, second.limits.maxCostUsd]).toEqual([1, 1]);
    first.record({ turns: 1, costUsd: 0.6 });
    expect(first.exhausted()).toBe(false);
    second.record({ turns: 1, costUsd: 0.5 });
    expect(second.exhausted()).toBe(true);
    expect(first.exhausted()).toBe(true);
    expect(parent.exhausted()).toBe(true);
    expect(parent.remainingUsd()).toBe(0);
  });
});
