/**
 * Liveness and readiness for load balancers and orchestrators: `/healthz` answers while the
 * process serves HTTP at all; `/readyz` only once the agent catalog is loaded and until a
 * shutdown begins. Neither needs a token, and neither says more than counts.
 */
import type { ServerResponse } from 'node:http';
import type { StoreStatus } from '../store/store.js';
import { sendJson } from './http-reply.js';

export type Readiness = 'starting' | 'ready' | 'stopping';

export interface HealthState {
  readiness(): Readiness;
  /** Agents in the loaded catalog (0 while starting). */
  agents(): number;
  /** Open sessions (always 0 when stateless). */
  sessions(): number;
  /** Agent calls under way. */
  runs(): number;
  /** 2026 runs kept for their caller (tasks, input_required rounds). */
  tasks(): number;
  /** Where run state lives and whether it is reachable (never credentials). */
  store(): StoreStatus;
}

export const HEALTH_PATHS = { live: '/healthz', ready: '/readyz' } as const;

/**
 * Answer a request for one of {@link HEALTH_PATHS}.
 * @returns false when `pathname` is not a health path (nothing was written).
 */
export function answerHealth(pathname: string, method: string | undefined, res: ServerResponse, state: HealthState): boolean {
  if (pathname !== HEALTH_PATHS.live && pathname !== HEALTH_PATHS.ready) return false;
  if (method !== 'GET' && method !== 'HEAD') {
    sendJson(res, 405, { status: 'error', error: 'use GET' }, { Allow: 'GET, HEAD' });
    return true;
  }
  if (pathname === HEALTH_PATHS.live) {
    sendJson(res, 200, { status: 'ok' });
    return true;
  }
  const readiness = state.readiness();
  sendJson(res, readiness === 'ready' ? 200 : 503, { status: readiness, agents: state.agents(), sessions: state.sessions(), runs: state.runs(), tasks: state.tasks(), store: state.store() });
  return true;
}
