/**
 * The front-matter fields that shape a run (`maxTurns`, `maxDurationSeconds`, `maxCostUsd`,
 * `permissionMode`, `mcpServers`, `effort`), read once at load into typed values. A value that
 * cannot be read is ignored and reported with its line, so `validate` names it before any run.
 */
import type { Finding } from './problem.js';
import { readEffort, type Effort } from './effort.js';

/** Permission modes an agent may ask for (Claude Code's vocabulary; `manual` is read as `default`). */
export const AGENT_PERMISSION_MODES = ['plan', 'dontAsk', 'default', 'acceptEdits', 'bypassPermissions'] as const;

/** A permission mode as an agent asks for it; the run may still hold it to the server's. */
export type AgentPermissionMode = (typeof AGENT_PERMISSION_MODES)[number];

/** One `mcpServers` entry: a configured server's name, or `{name: config}` (the config checked when a run starts). */
export type AgentServerEntry = string | Readonly<Record<string, unknown>>;

/** The run-shaping fields of an agent; absent means "not set" (the server's value applies). */
export interface AgentRunFields {
  /** At most this many model turns (a positive integer). */
  maxTurns?: number;
  /** At most this many seconds of wall clock (a positive number). */
  maxDurationSeconds?: number;
  /** At most this many dollars (a positive number). */
  maxCostUsd?: number;
  permissionMode?: AgentPermissionMode;
  mcpServers?: AgentServerEntry[];
  effort?: Effort;
}

/** The keys this module reads; the others stay in the definition's `extra`. */
export const RUN_FIELD_KEYS: readonly string[] = ['maxTurns', 'maxDurationSeconds', 'maxCostUsd', 'permissionMode', 'mcpServers', 'effort'];

const isAbsent = (value: unknown): boolean => value === undefined || value === null || value === '';

/** A positive number from a number or a numeric string, else undefined. */
function readPositive(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : Number.NaN;
  return Number.isFinite(n) && n > 0 ? n : undefined;
}

function readPermissionMode(value: unknown): AgentPermissionMode | undefined {
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (text === 'manual') return 'default';
  return AGENT_PERMISSION_MODES.find((m) => m === text);
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Claude Code's list of names and `{name: config}` maps; a bare map and a comma-separated string are read too. */
function readServers(value: unknown): { entries: AgentServerEntry[]; ignored: number } {
  const items: unknown[] = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [value];
  const entries: AgentServerEntry[] = [];
  let ignored = 0;
  for (const item of items) {
    if (typeof item === 'string') {
      if (item.trim() !== '') entries.push(item.trim());
    } else if (isRecord(item)) entries.push(item);
    else ignored++;
  }
  return { entries, ignored };
}

const shown = (value: unknown): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** Read the run-shaping fields of `data`; `lineOf` gives the line of a key for the findings. */
export function readRunFields(data: Readonly<Record<string, unknown>>, lineOf: (key: string) => number): { fields: AgentRunFields; findings: Finding[] } {
  const fields: AgentRunFields = {};
  const findings: Finding[] = [];
  const report = (key: string, reason: string): void => {
    findings.push({ line: lineOf(key), code: 'field-value', reason });
  };
  if (!isAbsent(data.maxTurns)) {
    const n = readPositive(data.maxTurns);
    if (n !== undefined && Number.isInteger(n)) fields.maxTurns = n;
    else report('maxTurns', `maxTurns must be a positive whole number, not ${shown(data.maxTurns)}; it is ignored (the server's limit applies)`);
  }
  for (const key of ['maxDurationSeconds', 'maxCostUsd'] as const) {
    if (isAbsent(data[key])) continue;
    const n = readPositive(data[key]);
    if (n !== undefined) fields[key] = n;
    else report(key, `${key} must be a positive number, not ${shown(data[key])}; it is ignored (the server's limit applies)`);
  }
  if (!isAbsent(data.permissionMode)) {
    const mode = readPermissionMode(data.permissionMode);
    if (mode !== undefined) fields.permissionMode = mode;
    else {
      report('permissionMode', `permissionMode "${shown(data.permissionMode)}" is not one agents-mcp supports (${AGENT_PERMISSION_MODES.join(', ')}); it is ignored (the server's mode applies)`);
    }
  }
  if (data.mcpServers !== undefined && data.mcpServers !== null) {
    const servers = readServers(data.mcpServers);
    fields.mcpServers = servers.entries;
    if (servers.ignored > 0) report('mcpServers', 'mcpServers: an entry that is neither a server name nor {name: config} was ignored');
  }
  const effort = readEffort(data.effort);
  if (effort.effort) fields.effort = effort.effort;
  if (effort.problem) report('effort', effort.problem);
  return { fields, findings };
}
