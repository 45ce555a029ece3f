/** The set of agents served from a list of folders: loading, ranking duplicates, indexing. */

import path from 'node:path';
import { copyAgent } from './agent-body.js';
import type { AgentDefinition, LoadResult } from './definition.js';
import type { ParseCache } from './parse-cache.js';
import { DEFAULT_LOAD_CONCURRENCY, listAgentFiles, loadRecords, type FileRecord } from './scan.js';

/** A file (or folder) that is not served, and why. */
export type SkippedFile = Omit<Extract<LoadResult, { kind: 'skipped' }>, 'kind'>;

/** Every agent served from a list of folders, and every file that is not. */
export interface Catalog {
  /** Served agents, sorted by `toolName`. */
  agents: AgentDefinition[];
  /** The same agents keyed by `toolName`. */
  byToolName: ReadonlyMap<string, AgentDefinition>;
  /** Files not served: not agents (`broken: false`), broken, or losing a duplicate name. Sorted by file. */
  skipped: SkippedFile[];
  /** Total warnings over served agents. */
  warningCount: number;
}

/** A file's record as {@link buildCatalog} takes it. */
export interface CatalogEntry extends FileRecord {
  /**
   * The last version of this file that loaded, served in place of `result` when `result` is a
   * broken skip (so a bad save in an editor does not make a tool disappear).
   */
  lastGood?: AgentDefinition;
}

/** Options for {@link loadCatalog}. */
export interface LoadCatalogOptions {
  /** Files read at once; default {@link DEFAULT_LOAD_CONCURRENCY}. */
  concurrency?: number;
  /** Parsed heads by file version (parse-cache.ts). loadCatalog leaves saving it to the caller; watchCatalog saves it. Default: none. */
  cache?: ParseCache;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Ranking for duplicate tool names: earlier folder, then shorter relative path, then alphabetical. */
function compareRank(a: FileRecord, b: FileRecord): number {
  return a.dirIndex - b.dirIndex || a.relPath.length - b.relPath.length || compareText(a.relPath, b.relPath);
}

function withStaleWarning(agent: AgentDefinition, skipped: SkippedFile): AgentDefinition {
  const where = skipped.line !== undefined ? ` (line ${skipped.line})` : '';
  // A copy that keeps the body unread: it is read, if ever, when the agent is used.
  return copyAgent(agent, {
    warnings: [
      ...agent.warnings,
      {
        file: agent.file,
        code: 'stale-version',
        reason: `the latest edit could not be loaded${where}: ${skipped.reason}; serving the last good version`,
        ...(skipped.line !== undefined ? { line: skipped.line } : {}),
      },
    ],
  });
}

/**
 * Build a catalog from per-file results, without touching the disk. When two agents share a
 * tool name the better-ranked file wins (see {@link compareRank}) and the other is skipped,
 * not broken, with a reason naming both paths. A broken entry with a `lastGood` version
 * serves that version (with a warning) and is also listed as skipped.
 */
export function buildCatalog(entries: Iterable<CatalogEntry>, extraSkipped: readonly SkippedFile[] = []): Catalog {
  const skipped: SkippedFile[] = [...extraSkipped];
  const candidates: Array<{ record: FileRecord; agent: AgentDefinition }> = [];
  for (const entry of entries) {
    const { result } = entry;
    if (result.kind === 'agent') {
      candidates.push({ record: entry, agent: result.agent });
      continue;
    }
    const { kind: _kind, ...skip } = result;
    skipped.push(skip);
    if (skip.broken && entry.lastGood) candidates.push({ record: entry, agent: withStaleWarning(entry.lastGood, skip) });
  }
  candidates.sort((a, b) => compareRank(a.record, b.record));
  const byToolName = new Map<string, AgentDefinition>();
  for (const { agent } of candidates) {
    const winner = byToolName.get(agent.toolName);
    if (winner === undefined) {
      byToolName.set(agent.toolName, agent);
      continue;
    }
    skipped.push({
      file: agent.file,
      broken: false,
      reason: `tool name '${agent.toolName}' is already served from ${winner.file}; ${agent.file} is not served`,
    });
  }
  const agents = [...byToolName.values()].sort((a, b) => compareText(a.toolName, b.toolName));
  skipped.sort((a, b) => compareText(a.file, b.file));
  const warningCount = agents.reduce((sum, agent) => sum + agent.warnings.length, 0);
  return { agents, byToolName: new Map(agents.map((a) => [a.toolName, a])), skipped, warningCount };
}

/**
 * Load every `*.md` file under `dirs` (recursively) into a catalog. Earlier folders win on
 * duplicate tool names. A folder that is missing or unreadable is listed in `skipped` as
 * broken; a file that fails never stops the others. Never throws for bad files or folders.
 */
export async function loadCatalog(dirs: readonly string[], options: LoadCatalogOptions = {}): Promise<Catalog> {
  const roots = [...new Set(dirs.map((dir) => path.resolve(dir)))];
  const folderProblems: SkippedFile[] = [];
  const files = new Set<string>();
  for (const root of roots) {
    const listing = await listAgentFiles(root);
    if (!listing.ok) folderProblems.push({ file: root, reason: listing.reason, broken: true });
    // A file under two given folders (one inside the other) is loaded once, for the first.
    else for (const file of listing.files) files.add(file);
  }
  const records = await loadRecords([...files], roots, options.concurrency ?? DEFAULT_LOAD_CONCURRENCY, options.cache);
  return buildCatalog(records, folderProblems);
}
