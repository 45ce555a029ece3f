/**
 * Who is calling, as a short stable name: `local` over stdio (the user who started us); over
 * HTTP, the principal the HTTP layer resolved from the bearer token (principals.ts, handed over
 * as the request's `authInfo.clientId`); without that, a digest of the credential (never the
 * credential itself), or `anonymous` without one. Paused runs, `requestState` and 2026 tasks are bound to it, so one caller cannot see,
 * answer or cancel another's.
 */
import { createHash } from 'node:crypto';
import type { ServerContext } from '@modelcontextprotocol/server';
import { LOCAL_PRINCIPAL } from '../run/call-context.js';

/** The principal of a 2026-era request. */
export function principalOf(ctx: ServerContext): string {
  const clientId = ctx.http?.authInfo?.clientId;
  if (clientId) return clientId;
  const req = ctx.http?.req;
  if (!req) return LOCAL_PRINCIPAL;
  const authorization = req.headers.get('authorization');
  if (!authorization) return 'anonymous';
  return `bearer:${createHash('sha256').update(authorization).digest('hex').slice(0, 16)}`;
}
