/**
 * The wall-clock and dollar limits of one call: the server's, tightened by the agent's own
 * front matter (`maxDurationSeconds`, `maxCostUsd`), never loosened. The turn limit works the
 * same way through `maxTurns` (see effectiveMaxTurns in call-agent.ts).
 */
import type { AgentDefinition } from '../agents/definition.js';
import type { RunLimits } from './stop-conditions.js';

/** The server-wide values; undefined means no limit. */
export interface ServerLimits {
  maxDurationMs?: number;
  maxCostUsd?: number;
}

/** A positive number from a front-matter value (number or numeric string), else undefined. */
function positiveNumber(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

/** The smaller of two optional limits (undefined = unlimited). */
function tighter(own: number | undefined, server: number | undefined): number | undefined {
  if (own === undefined) return server;
  return server === undefined ? own : Math.min(own, server);
}

/** The agent's limits within the server's. */
export function effectiveLimits(agent: AgentDefinition, server: ServerLimits): Omit<RunLimits, 'maxTurns'> {
  const ownSeconds = positiveNumber(agent.extra['maxDurationSeconds']);
  const maxDurationMs = tighter(ownSeconds === undefined ? undefined : Math.round(ownSeconds * 1000), server.maxDurationMs);
  const maxCostUsd = tighter(positiveNumber(agent.extra['maxCostUsd']), server.maxCostUsd);
  return { ...(maxDurationMs !== undefined ? { maxDurationMs } : {}), ...(maxCostUsd !== undefined ? { maxCostUsd } : {}) };
}
