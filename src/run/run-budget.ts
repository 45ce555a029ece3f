/**
 * The budget a run shares with the runs nested in it (delegation). A nested run may spend only
 * what its parent has left: its dollar cap is the parent's cap minus what the parent and its
 * other nested runs have spent, and its turn and wall-clock limits never exceed the parent's
 * remaining ones. The parent's cost check counts its nested runs' cost, live, so concurrent
 * nested runs (several Agent calls in one turn) draw on the same remainder.
 */

import { tighter, type RunLimits } from './limits.js';

/**
 * What the loop sees of a budget: the run's limits (the only place the loop reads them), and
 * it reports its progress and asks whether the money is gone.
 */
export interface RunBudget {
  /** This run's limits, already cut down to what an enclosing run has left. */
  readonly limits: RunLimits;
  /** The loop reports after every model turn: turns made and the run's own cost so far. */
  record(progress: { turns: number; costUsd: number }): void;
  /** True when this run's tree, or the tree of any run it is nested in, has reached its dollar cap. */
  exhausted(): boolean;
}

/** The budget of one run, linked to its parent's and to its nested runs'. */
export class TreeBudget implements RunBudget {
  private ownUsd = 0;
  private turns = 0;
  private readonly children: TreeBudget[] = [];
  private readonly deadlineAt: number | undefined;

  /** `limits` are this run's own (already tightened by {@link nestedLimits} for a nested run). */
  constructor(
    readonly limits: RunLimits,
    private readonly parent?: TreeBudget,
    private readonly now: () => number = Date.now,
  ) {
    this.deadlineAt = limits.maxDurationMs === undefined ? undefined : now() + limits.maxDurationMs;
  }

  record(progress: { turns: number; costUsd: number }): void {
    this.turns = progress.turns;
    this.ownUsd = progress.costUsd;
  }

  /** Dollars spent by this run and every run nested in it, finished or still going. */
  spentUsd(): number {
    return this.children.reduce((sum, child) => sum + child.spentUsd(), this.ownUsd);
  }

  exhausted(): boolean {
    const cap = this.limits.maxCostUsd;
    return (cap !== undefined && this.spentUsd() >= cap) || this.parent?.exhausted() === true;
  }

  /** Dollars this run's tree may still spend, within every enclosing cap; undefined = no cap. */
  remainingUsd(): number | undefined {
    const cap = this.limits.maxCostUsd;
    const own = cap === undefined ? undefined : Math.max(0, cap - this.spentUsd());
    return tighter(own, this.parent?.remainingUsd());
  }

  /** The limits of a run nested in this one: its own, cut down to what this run has left. */
  nestedLimits(own: RunLimits): RunLimits {
    const maxDurationMs = tighter(own.maxDurationMs, this.deadlineAt === undefined ? undefined : Math.max(0, this.deadlineAt - this.now()));
    const maxCostUsd = tighter(own.maxCostUsd, this.remainingUsd());
    return {
      maxTurns: Math.min(own.maxTurns, Math.max(0, this.limits.maxTurns - this.turns)),
      ...(maxDurationMs !== undefined ? { maxDurationMs } : {}),
      ...(maxCostUsd !== undefined ? { maxCostUsd } : {}),
    };
  }

  /** The budget of a run nested in this one, counted in this run's spending from now on. */
  nested(own: RunLimits): TreeBudget {
    const child = new TreeBudget(this.nestedLimits(own), this, this.now);
    this.children.push(child);
    return child;
  }
}
