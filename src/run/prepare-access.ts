/**
 * What a run may reach, decided once per call: the permission mode (the server's, tightened by
 * the agent's own `permissionMode`), the tools that mode offers, the roots (the workspaces, narrowed
 * to the client's MCP roots when it offers some), and the `authorize` function the tools consult.
 */
import type { AgentDefinition } from '../agents/definition.js';
import type { Logger } from '../log.js';
import { intersectWithClientRoots } from './confine-roots.js';
import type { Authorize } from '../tools/permissions/permission.js';
import type { CallerAbilities } from './call-context.js';
import { createPermissionGate, planModeMessage } from '../tools/permissions/permission-gate.js';
import {
  DEFAULT_PERMISSION_MODE,
  filterToolsForMode,
  resolveRunPermissionMode,
  withheldByMode,
  type PermissionMode,
  type ServerPermissionMode,
} from '../tools/permissions/permission-mode.js';
import type { ProtectedPaths } from '../tools/permissions/protected-paths.js';
import type { Tool } from '../tools/tool.js';
import type { RunError } from './result.js';

/** What {@link prepareAccess} needs. */
export interface PrepareAccessOptions {
  agent: AgentDefinition;
  /** The agent's tools after `tools` / `disallowedTools`. */
  tools: Tool[];
  /** The configured workspace roots (real paths). */
  workspaces: string[];
  serverMode: ServerPermissionMode | undefined;
  allowBash: readonly string[] | undefined;
  protectedPaths: ProtectedPaths | undefined;
  /** What the caller offers: someone to ask, its MCP roots. */
  caller: Pick<CallerAbilities, 'askUser' | 'clientRoots'>;
  signal: AbortSignal;
  log: Logger;
}

/** The run's access, or why it may not start. */
export type RunAccess =
  | {
      ok: true;
      mode: PermissionMode;
      tools: Tool[];
      /** Tools the agent lists that the mode withholds, with the refusal a call to one gets. */
      withheld: Map<string, string>;
      roots: string[];
      authorize: Authorize;
      warnings: string[];
    }
  | { ok: false; error: RunError; warnings: string[] };

/** Decide mode, tools, roots and the permission gate for one run. */
export async function prepareAccess(options: PrepareAccessOptions): Promise<RunAccess> {
  const { log } = options;
  const { askUser, clientRoots } = options.caller;
  const permission = resolveRunPermissionMode(options.serverMode ?? DEFAULT_PERMISSION_MODE, options.agent.permissionMode);
  const warnings = [
    ...(permission.warning ? [permission.warning] : []),
    ...(clientRoots?.warning ? [clientRoots.warning] : []),
  ];
  const clientPaths = clientRoots?.paths;
  let roots = clientPaths === undefined ? options.workspaces : await intersectWithClientRoots(options.workspaces, clientPaths);
  if (roots.length === 0 && clientRoots?.remote === true) {
    // A teammate's folder is not ours to judge: the server's workspaces rule.
    warnings.push(`The client's roots (${(clientPaths ?? []).join(', ')}) lie outside the workspaces this server may touch, so they were ignored; the run worked in ${options.workspaces.join(', ')}.`);
    roots = options.workspaces;
  }
  if (roots.length === 0) {
    return {
      ok: false,
      warnings,
      error: {
        kind: 'no_workspace',
        message: `None of the client's roots (${(clientPaths ?? []).join(', ')}) lies inside the workspaces this server may touch (${options.workspaces.join(', ')}).`,
        advice: 'Open a folder inside one of those workspaces in the client, or restart agents-mcp with --workspace set to the folder you work in.',
      },
    };
  }
  const gate = createPermissionGate({
    mode: permission.mode,
    allowBash: options.allowBash ?? [],
    signal: options.signal,
    agentName: options.agent.name,
    ...(options.protectedPaths ? { protectedPaths: options.protectedPaths } : {}),
    ...(askUser ? { askUser } : {}),
  });
  // Log each decision: tool and outcome, never the command or path (they may hold secrets).
  const authorize: Authorize = async (request) => {
    const verdict = await gate(request);
    log.info({ tool: request.tool, kind: request.kind, allowed: verdict.allowed, mode: permission.mode }, 'permission decided');
    return verdict;
  };
  const withheld = new Map(withheldByMode(options.tools, permission.mode).map((name) => [name, planModeMessage(name)]));
  return { ok: true, mode: permission.mode, tools: filterToolsForMode(options.tools, permission.mode), withheld, roots, authorize, warnings };
}
