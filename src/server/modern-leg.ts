/**
 * The 2026-07-28 leg, loaded on first use (a dynamic import, its own bundle chunk): a 2025-only
 * deployment never loads the SDK v2, which costs start-up time. Holds what every 2026 server
 * instance shares: the live runs and the key that signs requestState (the same on every replica,
 * so that a retry may land on any of them).
 */
import { createRequestStateCodec, type Server as ModernServer } from '@modelcontextprotocol/server';
import type { Runner } from '../run/runner.js';
import { APPROVAL_TIMEOUT_MSEC } from './ask-user.js';
import type { Hub } from './hub.js';
import type { LiveRuns } from './live-runs.js';
import { createModernServer, type ApprovalState } from './modern-server.js';
import { principalOf } from './principal.js';

export interface ModernLegOptions {
  name: string;
  version: string;
  instructions: string;
  runs: Pick<Runner, 'runs' | 'prepareResume'>;
  live: LiveRuns;
  /** Signs requestState; shared by the replicas (request-state-key.ts). */
  stateKey: Uint8Array;
  listTtlMs: number;
}

/** A factory of 2026 servers over one hub (the live runs execute the calls). */
export type ModernServerFactory = (hub: Hub) => ModernServer;

/** Create the leg. */
export function createModernLeg(options: ModernLegOptions): ModernServerFactory {
  const stateCodec = createRequestStateCodec<ApprovalState>({ key: options.stateKey, ttlSeconds: APPROVAL_TIMEOUT_MSEC / 1000, bind: principalOf });
  return (hub) =>
    createModernServer({
      name: options.name,
      version: options.version,
      instructions: options.instructions,
      listings: hub.whenLoaded,
      runs: options.runs,
      live: options.live,
      stateCodec,
      principal: principalOf,
      listTtlMs: options.listTtlMs,
    });
}
