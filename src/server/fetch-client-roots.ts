/**
 * The calling client's MCP roots, as absolute paths, for confining a run (see
 * run/confine-roots.ts). Asked per call, so a client that changed its roots is followed.
 */
import { fileURLToPath } from 'node:url';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestId } from '@modelcontextprotocol/sdk/types.js';
import type { ClientRoots } from '../run/confine-roots.js';

/** How long to wait for the client's roots/list answer. */
export const ROOTS_TIMEOUT_MSEC = 10_000;

/**
 * The client's `file://` roots as paths. No paths when the client offers no roots capability, lists
 * none, or fails to answer: then the configured workspaces alone apply (with a warning for the failure).
 */
export async function fetchClientRoots(server: Server, requestId: RequestId, signal: AbortSignal): Promise<ClientRoots> {
  if (server.getClientCapabilities()?.roots === undefined) return {};
  try {
    const { roots } = await server.listRoots(undefined, { signal, relatedRequestId: requestId, timeout: ROOTS_TIMEOUT_MSEC });
    const paths = roots.flatMap((root) => {
      if (!root.uri.startsWith('file:')) return [];
      try {
        return [fileURLToPath(root.uri)];
      } catch {
        return [];
      }
    });
    return paths.length > 0 ? { paths } : {};
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { warning: `The client offers MCP roots but listing them failed (${reason}); the run is confined to the configured workspaces only.` };
  }
}
