/**
 * A cache of parsed agent heads on disk, so that a second start with the same folders reads one
 * file instead of every agent file. An entry is used only for the exact file version it was made
 * from (path, size, mtime, inode) and by the same build of the parser; the cache file is data
 * from disk, checked before use, and anything wrong with it (corrupt, foreign, from another
 * version) makes it ignored. It is trusted for speed only: it never holds a body, and what it
 * holds is what parsing the same file would give.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isSameStamp, type FileStamp } from './read-version.js';
import type { ProblemCode } from './definition.js';
import type { HeadResult } from './parse-agent.js';

/** Written into every cache file; a file with anything else is not ours or not this format. */
export const PARSE_CACHE_FORMAT = 'agents-mcp/parse-cache@1';

/** How long after a change the cache file is written, so it never competes with start-up. */
export const PARSE_CACHE_SAVE_DELAY_MSEC = 1000;

/** Parsed heads by file version. */
export interface ParseCache {
  /** The head cached for this version of `file`, or undefined. */
  get(file: string, stamp: FileStamp): HeadResult | undefined;
  /** Remember the head parsed from this version of `file` (ignored when it cannot round-trip JSON). */
  set(file: string, stamp: FileStamp, result: HeadResult): void;
  /** Write the cache within {@link PARSE_CACHE_SAVE_DELAY_MSEC} when it changed (the timer does not keep the process alive). */
  saveSoon(): void;
  /** Write the cache now when it changed. Never throws: a cache that cannot be written is reported and skipped. */
  save(): void;
}

/** Options for {@link openParseCache}. */
export interface OpenParseCacheOptions {
  /** The cache file (see {@link parseCacheFile}). */
  file: string;
  /** What must match for the entries to be used: which build parsed them. Default {@link parserFingerprint}. */
  fingerprint?: string;
  /** Told once why the cache could not be written. */
  onProblem?(reason: string): void;
}

const PROBLEM_CODES: ReadonlySet<string> = new Set<ProblemCode>([
  'lenient-front-matter', 'front-matter-layout', 'unknown-tool', 'unavailable-tool', 'field-value', 'no-front-matter', 'stale-version',
]);

// The checks below are written out rather than zod schemas: at 3,000 entries in a fresh process,
// zod's safeParse took ~200 ms of a second start, more than everything else the cache saves.
type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isStringArray = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string');
const isLine = (v: unknown): boolean => v === undefined || Number.isInteger(v);
const isOptional = (v: unknown, type: 'number' | 'string'): boolean => v === undefined || typeof v === type;
/** The run fields' types (their values were checked when the file was parsed by this same build). */
const hasRunFieldTypes = (h: Json): boolean =>
  isOptional(h.maxTurns, 'number') && isOptional(h.maxDurationSeconds, 'number') && isOptional(h.maxCostUsd, 'number') &&
  isOptional(h.permissionMode, 'string') && isOptional(h.effort, 'string') &&
  (h.mcpServers === undefined || (Array.isArray(h.mcpServers) && h.mcpServers.every((e) => typeof e === 'string' || isObject(e))));

function isProblem(v: unknown, file: string): boolean {
  return isObject(v) && v.file === file && typeof v.reason === 'string' && isLine(v.line) && (v.code === undefined || (typeof v.code === 'string' && PROBLEM_CODES.has(v.code)));
}

/** Is `v` a HeadResult about `file` (an entry about another file is foreign, whatever else it says)? */
function isHeadResultFor(v: unknown, file: string): v is HeadResult {
  if (!isObject(v)) return false;
  if (v.kind === 'skipped') return v.file === file && typeof v.reason === 'string' && typeof v.broken === 'boolean' && isLine(v.line);
  if (v.kind !== 'agent' || !isObject(v.head)) return false;
  const h = v.head;
  return (
    h.file === file &&
    typeof h.name === 'string' &&
    typeof h.toolName === 'string' &&
    typeof h.title === 'string' &&
    typeof h.description === 'string' &&
    typeof h.model === 'string' &&
    (h.tools === undefined || isStringArray(h.tools)) &&
    isStringArray(h.disallowedTools) &&
    isObject(h.extra) &&
    hasRunFieldTypes(h) &&
    Array.isArray(h.warnings) &&
    h.warnings.every((w) => isProblem(w, file))
  );
}

/** One entry: the file, its version (size, mtimeMs, ino), and the head as parsed, checked when used. */
type Entry = [file: string, size: number, mtimeMs: number, ino: number, result: unknown];

function isEntry(v: unknown): v is Entry {
  return Array.isArray(v) && v.length === 5 && typeof v[0] === 'string' && typeof v[1] === 'number' && typeof v[2] === 'number' && typeof v[3] === 'number';
}

/**
 * The build of the parser: a hash of the file this module was loaded from. In the bundle that
 * file imports the other chunks by names that are hashes of their content, so any change to the
 * parser changes it; npm's fixed mtimes make size and mtime too weak for that. ~1 ms per start.
 */
export function parserFingerprint(): string {
  try {
    return `${PARSE_CACHE_FORMAT}:${createHash('sha256').update(readFileSync(fileURLToPath(import.meta.url))).digest('hex')}`;
  } catch {
    // Not loaded from a file: no fingerprint can tell builds apart, so no cache is ever reused.
    return `${PARSE_CACHE_FORMAT}:${process.pid}:${Date.now()}`;
  }
}

/**
 * Where the cache for these agent folders lives: `AGENTS_MCP_CACHE_DIR`, else
 * `$XDG_CACHE_HOME/agents-mcp`, else `~/.cache/agents-mcp`; one file per list of folders.
 * Undefined when the cache is turned off (`AGENTS_MCP_PARSE_CACHE=off`).
 */
export function parseCacheFile(options: { roots: readonly string[]; env: NodeJS.ProcessEnv; homeDir: string }): string | undefined {
  const { env } = options;
  if (/^(off|0|false|no)$/i.test(env.AGENTS_MCP_PARSE_CACHE ?? '')) return undefined;
  const dir = env.AGENTS_MCP_CACHE_DIR || (env.XDG_CACHE_HOME ? path.join(env.XDG_CACHE_HOME, 'agents-mcp') : path.join(options.homeDir, '.cache', 'agents-mcp'));
  const key = createHash('sha256').update(options.roots.join('\0')).digest('hex').slice(0, 16);
  return path.join(dir, `heads-${key}.json`);
}

/** Plain JSON data (what survives a write and a read unchanged); YAML can also give dates. */
function isJsonData(value: unknown): boolean {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value) && !Object.is(value, -0);
  if (Array.isArray(value)) return value.every(isJsonData);
  if (typeof value !== 'object' || Object.getPrototypeOf(value) !== Object.prototype) return false;
  return Object.entries(value).every(([key, v]) => key !== '__proto__' && isJsonData(v));
}

function readEntries(file: string, fingerprint: string): Map<string, Entry> {
  try {
    const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (!isObject(data) || data.format !== PARSE_CACHE_FORMAT || data.fingerprint !== fingerprint || !Array.isArray(data.entries)) return new Map();
    return new Map(data.entries.filter(isEntry).map((entry) => [entry[0], entry]));
  } catch {
    // Missing, unreadable or not JSON: start empty.
    return new Map();
  }
}

/** Open the cache in `file` (absent, corrupt or foreign = empty). Reads the file once, now. */
export function openParseCache(options: OpenParseCacheOptions): ParseCache {
  const fingerprint = options.fingerprint ?? parserFingerprint();
  let stored = readEntries(options.file, fingerprint);
  /** The entries seen in this process: what the next save writes (files gone since are dropped). */
  const live = new Map<string, Entry>();
  let dirty = false;
  // A file that was set marks the cache dirty; one stored file not seen again changes the count.
  const hasChanged = (): boolean => dirty || live.size !== stored.size;
  let reported = false;
  let timer: NodeJS.Timeout | undefined;

  const save = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    if (!hasChanged()) return;
    dirty = false;
    stored = live;
    const temp = `${options.file}.${process.pid}.tmp`;
    try {
      mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
      writeFileSync(temp, JSON.stringify({ format: PARSE_CACHE_FORMAT, fingerprint, entries: [...live.values()] }), { mode: 0o600 });
      // Atomic: a reader sees the old file or the new one, never half of one.
      renameSync(temp, options.file);
    } catch (error) {
      if (!reported) options.onProblem?.(`the agent parse cache ${options.file} could not be written: ${error instanceof Error ? error.message : String(error)}`);
      reported = true;
    }
  };

  return {
    get(file, stamp) {
      const entry = live.get(file) ?? stored.get(file);
      if (entry === undefined || !isSameStamp({ size: entry[1], mtimeMs: entry[2], ino: entry[3] }, stamp)) return undefined;
      const result = entry[4];
      if (!isHeadResultFor(result, file)) return undefined;
      live.set(file, entry);
      return result;
    },
    set(file, stamp, result) {
      if (result.kind === 'agent' && !(isJsonData(result.head.extra) && isJsonData({ servers: result.head.mcpServers ?? [] }))) {
        live.delete(file);
        return;
      }
      live.set(file, [file, stamp.size, stamp.mtimeMs, stamp.ino, result]);
      dirty = true;
    },
    saveSoon() {
      if (!hasChanged()) return;
      if (timer === undefined) timer = setTimeout(save, PARSE_CACHE_SAVE_DELAY_MSEC).unref();
    },
    save,
  };
}
