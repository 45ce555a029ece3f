/**
 * Confining a run to the calling client's MCP roots: the run may touch what lies both inside a
 * configured workspace (`--workspace`) and inside one of the client's roots. A client root inside a
 * workspace narrows it to that root; a workspace inside a client root stays as it is; roots that
 * share nothing give nothing. Everything is compared by real path.
 */
import { realpath } from 'node:fs/promises';
import path from 'node:path';

/** What the client said about its roots. */
export interface ClientRoots {
  /** Absolute paths of its `file://` roots; undefined when there are none to apply. */
  paths?: string[];
  /** Set when the client offers roots but could not list them. */
  warning?: string;
  /**
   * The client is remote (HTTP): its roots are folders on another machine, or elsewhere on this
   * one, so roots outside the workspaces are ignored with a warning instead of refusing the run.
   */
  remote?: boolean;
}

function contains(outer: string, inner: string): boolean {
  if (outer === inner) return true;
  const prefix = outer.endsWith(path.sep) ? outer : outer + path.sep;
  return inner.startsWith(prefix);
}

/**
 * The roots a run may touch: `workspaces` (real paths) ∩ `clientRoots` (absolute paths, resolved
 * here; missing ones are dropped), in the client's order, without duplicates. The first is the
 * run's working directory. Empty when nothing is shared.
 */
export async function intersectWithClientRoots(workspaces: readonly string[], clientRoots: readonly string[]): Promise<string[]> {
  const real = await Promise.all(clientRoots.map((root) => realpath(path.resolve(root)).catch(() => undefined)));
  const out: string[] = [];
  for (const root of real) {
    if (root === undefined) continue;
    for (const ws of workspaces) {
      const shared = contains(ws, root) ? root : contains(root, ws) ? ws : undefined;
      if (shared !== undefined && !out.includes(shared)) out.push(shared);
    }
  }
  return out;
}
