/**
 * Permission modes, Claude Code's vocabulary: the server's `--permission-mode`, an agent's own
 * `permissionMode` (which may tighten the server's, never loosen it), and which tools a mode offers.
 */
import type { AgentPermissionMode } from '../../agents/run-fields.js';
import type { Tool, ToolKind } from '../tool.js';

/** The kinds `plan` mode offers: nothing outside the run changes. */
export const PLAN_KINDS: ReadonlySet<ToolKind> = new Set<ToolKind>(['read', 'note']);

/** Modes the server accepts on `--permission-mode`. */
export const SERVER_PERMISSION_MODES = ['default', 'acceptEdits', 'plan', 'bypassPermissions'] as const;

/** A mode the server runs in. */
export type ServerPermissionMode = (typeof SERVER_PERMISSION_MODES)[number];

/**
 * A mode a run is in. Besides the server's modes, an agent may ask for `dontAsk` (Claude Code's
 * "deny whatever is not pre-approved"): no questions, edits refused, only `--allow-bash` commands run.
 */
export type PermissionMode = AgentPermissionMode;

/** Default of `--permission-mode`. */
export const DEFAULT_PERMISSION_MODE: ServerPermissionMode = 'default';

/** How much a mode lets through; a run takes the lower of the server's and the agent's. */
const LOOSENESS: Readonly<Record<PermissionMode, number>> = {
  plan: 0,
  dontAsk: 1,
  default: 2,
  acceptEdits: 3,
  bypassPermissions: 4,
};

/** The mode a run gets, and a warning when the agent's own value was not applied as written. */
export interface RunPermissionMode {
  mode: PermissionMode;
  warning?: string;
}

/**
 * The mode for one run: the server's, tightened by the agent's `permissionMode` when that is stricter.
 * A looser agent value is ignored with a warning. An unknown one (Claude Code's `auto`) was reported
 * at load and never reaches here: it runs as the server's mode.
 */
export function resolveRunPermissionMode(serverMode: ServerPermissionMode, asked: PermissionMode | undefined): RunPermissionMode {
  if (asked === undefined) return { mode: serverMode };
  if (LOOSENESS[asked] > LOOSENESS[serverMode]) {
    return {
      mode: serverMode,
      warning: `permissionMode ${asked} would loosen the server's ${serverMode} mode, which an agent may not do; running in ${serverMode} mode.`,
    };
  }
  return { mode: asked };
}

/** The tools a mode offers: `plan` offers read-only tools only; every other mode offers all. */
export function filterToolsForMode(tools: readonly Tool[], mode: PermissionMode): Tool[] {
  return mode === 'plan' ? tools.filter((t) => PLAN_KINDS.has(t.kind)) : [...tools];
}

/** The names of the tools `mode` withholds from an agent that lists them (plan: every tool that changes something). */
export function withheldByMode(tools: readonly Tool[], mode: PermissionMode): string[] {
  return mode === 'plan' ? tools.filter((t) => !PLAN_KINDS.has(t.kind)).map((t) => t.name) : [];
}
