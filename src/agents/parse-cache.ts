/**
 * A cache of parsed agent heads on disk, so that a second start with the same folders reads one
 * file instead of every agent file. An entry is used only for the exact file version it was made
 * from (path, size, mtime, inode) and by the same build of the parser; the cache file is data
 * from disk, checked with zod, and anything wrong with it (corrupt, foreign, from another
 * version) makes it ignored. It is trusted for speed only: it never holds a body, and what it
 * holds is what parsing the same file would give.
 */

import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { isSameStamp, type FileStamp } from './read-version.js';
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

const problemSchema = z.object({
  file: z.string(),
  line: z.number().int().optional(),
  reason: z.string(),
  code: z.enum(['lenient-front-matter', 'front-matter-layout', 'unknown-tool', 'unavailable-tool', 'field-value', 'no-front-matter', 'stale-version']).optional(),
});

const headResultSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('agent'),
    head: z.object({
      name: z.string(),
      toolName: z.string(),
      title: z.string(),
      description: z.string(),
      tools: z.array(z.string()).optional(),
      disallowedTools: z.array(z.string()),
      model: z.string(),
      extra: z.record(z.string(), z.unknown()),
      file: z.string(),
      warnings: z.array(problemSchema),
    }),
  }),
  z.object({ kind: z.literal('skipped'), file: z.string(), reason: z.string(), broken: z.boolean(), line: z.number().int().optional() }),
]);

/** One entry: the file, its version, and the head as parsed. The head is checked when it is used. */
const entrySchema = z.tuple([z.string(), z.number(), z.number(), z.number(), z.unknown()]);
const cacheFileSchema = z.object({ format: z.literal(PARSE_CACHE_FORMAT), fingerprint: z.string(), entries: z.array(entrySchema) });

type Entry = z.infer<typeof entrySchema>;

/**
 * The build of the parser: this module's file (the bundle or compiled file it lives in), its
 * size and mtime. Rebuilding the server changes it, so a cache never outlives the code that made it.
 */
export function parserFingerprint(): string {
  const self = fileURLToPath(import.meta.url);
  try {
    const info = statSync(self);
    return `${PARSE_CACHE_FORMAT}:${self}:${info.size}:${info.mtimeMs}`;
  } catch {
    return `${PARSE_CACHE_FORMAT}:${self}`;
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
    const parsed = cacheFileSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
    if (!parsed.success || parsed.data.fingerprint !== fingerprint) return new Map();
    return new Map(parsed.data.entries.map((entry) => [entry[0], entry]));
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
      const result = headResultSchema.safeParse(entry[4]);
      // An entry about another file is foreign, whatever else it says.
      const about = result.success ? (result.data.kind === 'agent' ? result.data.head.file : result.data.file) : undefined;
      if (!result.success || about !== file) return undefined;
      live.set(file, entry);
      return result.data as HeadResult;
    },
    set(file, stamp, result) {
      if (result.kind === 'agent' && !isJsonData(result.head.extra)) {
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
