/**
 * The run's limits as predicates over what the loop knows between turns. The loop asks
 * {@link findLimitReached} before every turn; the first condition that holds ends the run
 * with its stop reason and the answer so far. The wall-clock limit is also enforced inside a
 * turn, by the deadline signal (see deadline.ts), because a turn can run for minutes.
 */

import type { RunLimits } from './limits.js';

/** What the loop knows about a run between two turns. */
export interface RunState {
  /** Turns already made. */
  turns: number;
  elapsedMs: number;
  costUsd: number;
  /** True when the budget shared with enclosing and nested runs is spent (see run-budget.ts). */
  budgetSpent?: boolean;
}

/** The stop reasons a limit gives. */
export type LimitStopReason = 'max_turns' | 'max_duration' | 'max_cost';

type StopCondition = (state: RunState, limits: RunLimits) => boolean;

/** In the order they are checked: the first that holds names the stop reason. */
const STOP_CONDITIONS: ReadonlyArray<readonly [LimitStopReason, StopCondition]> = [
  ['max_duration', (s, l) => l.maxDurationMs !== undefined && s.elapsedMs >= l.maxDurationMs],
  ['max_cost', (s, l) => s.budgetSpent === true || (l.maxCostUsd !== undefined && s.costUsd >= l.maxCostUsd)],
  ['max_turns', (s, l) => s.turns >= l.maxTurns],
];

/** The limit a run has reached before its next turn, or undefined when it may go on. */
export function findLimitReached(state: RunState, limits: RunLimits): LimitStopReason | undefined {
  return STOP_CONDITIONS.find(([, holds]) => holds(state, limits))?.[0];
}
