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

/** The smaller of two optional limits (undefined = unlimited). */
function tighter(own: number | undefined, server: number | undefined): number | undefined {
  if (own === undefined) return server;
  return server === undefined ? own : Math.min(own, server);
}

/** The agent's limits within the server's. */
export function effectiveLimits(agent: Pick<AgentDefinition, 'maxDurationSeconds' | 'maxCostUsd'>, server: ServerLimits): Omit<RunLimits, 'maxTurns'> {
  const ownSeconds = agent.maxDurationSeconds;
  const maxDurationMs = tighter(ownSeconds === undefined ? undefined : Math.round(ownSeconds * 1000), server.maxDurationMs);
  const maxCostUsd = tighter(agent.maxCostUsd, server.maxCostUsd);
  return { ...(maxDurationMs !== undefined ? { maxDurationMs } : {}), ...(maxCostUsd !== undefined ? { maxCostUsd } : {}) };
}
