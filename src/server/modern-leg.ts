/**
 * The 2026-07-28 leg, loaded on first use (a dynamic import, its own bundle chunk): a 2025-only
 * deployment never loads the SDK v2, which costs start-up time. Holds what every 2026 server
 * instance shares: the paused runs and the key that signs requestState.
 */
import { randomBytes } from 'node:crypto';
import { createRequestStateCodec, type Server as ModernServer } from '@modelcontextprotocol/server';
import type { Runner } from '../run/runner.js';
import { APPROVAL_TIMEOUT_MSEC } from './ask-user.js';
import type { Hub } from './hub.js';
import type { LiveRuns } from './live-runs.js';
import { createModernServer, type ApprovalState } from './modern-server.js';
import { principalOf } from './principal.js';
import type { AgentCaller } from './publish.js';

export interface ModernLegOptions {
  name: string;
  version: string;
  instructions: string;
  runs: Pick<Runner, 'runs' | 'prepareResume'>;
  live: LiveRuns;
  listTtlMs: number;
  progressIntervalMs?: number;
}

/** A factory of 2026 servers over one hub and agent caller. */
export type ModernServerFactory = (hub: Hub, callAgent: AgentCaller) => ModernServer;

/** Create the leg: the requestState key lives as long as the process, like the paused runs it points at. */
export function createModernLeg(options: ModernLegOptions): ModernServerFactory {
  const stateCodec = createRequestStateCodec<ApprovalState>({ key: randomBytes(32), ttlSeconds: APPROVAL_TIMEOUT_MSEC / 1000, bind: principalOf });
  return (hub, callAgent) =>
    createModernServer({
      name: options.name,
      version: options.version,
      instructions: options.instructions,
      listings: hub.whenLoaded,
      callAgent,
      runs: options.runs,
      live: options.live,
      stateCodec,
      principal: principalOf,
      listTtlMs: options.listTtlMs,
      ...(options.progressIntervalMs ? { progressIntervalMs: options.progressIntervalMs } : {}),
    });
}
