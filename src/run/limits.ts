/**
 * The limits of a run, in one place: their type, how two are combined ({@link tighter}), and a
 * call's own limits — the server's, tightened by the agent's front matter (`maxTurns`,
 * `maxDurationSeconds`, `maxCostUsd`), never loosened. A run carries them in its budget
 * (run-budget.ts), which also cuts a nested run's down to what its parent has left; the loop
 * reads them only from there.
 */
import type { AgentDefinition } from '../agents/definition.js';

/** The limits of one run. Undefined means "no limit" (maxTurns is always set: a hard cap). */
export interface RunLimits {
  maxTurns: number;
  /** Wall-clock limit of the whole run, in milliseconds. */
  maxDurationMs?: number;
  /** Dollar cap of the whole run; checked between turns, so one turn may overshoot it. */
  maxCostUsd?: number;
}

/** The smaller of two optional limits (undefined = unlimited). */
export function tighter(a: number | undefined, b: number | undefined): number | undefined {
  if (a === undefined) return b;
  return b === undefined ? a : Math.min(a, b);
}

/** The limits of a call of `agent`: its own values within the server's (`server`). */
export function agentLimits(agent: Pick<AgentDefinition, 'maxTurns' | 'maxDurationSeconds' | 'maxCostUsd'>, server: RunLimits): RunLimits {
  const ownMs = agent.maxDurationSeconds === undefined ? undefined : Math.round(agent.maxDurationSeconds * 1000);
  const maxDurationMs = tighter(ownMs, server.maxDurationMs);
  const maxCostUsd = tighter(agent.maxCostUsd, server.maxCostUsd);
  return {
    maxTurns: tighter(agent.maxTurns, server.maxTurns) ?? server.maxTurns,
    ...(maxDurationMs !== undefined ? { maxDurationMs } : {}),
    ...(maxCostUsd !== undefined ? { maxCostUsd } : {}),
  };
}
