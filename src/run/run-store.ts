/**
 * Where runs are kept: in memory, bounded by count and size (oldest dropped first), and, with
 * a folder, also as one JSON file per run so transcripts outlive the process. Writing a file
 * never fails a run: a failed write is reported through `onError` and the run goes on.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Redactor } from '../redact.js';
import { parseRunRecord, type RunRecord } from './run-record.js';

/** Keeps runs. Implementations may share storage between processes; this one is local. */
export interface RunStore {
  /** Insert or replace a run's record. Never rejects. */
  save(record: RunRecord): Promise<void>;
  /** A run by id: from memory, else from the folder; undefined when unknown. */
  get(runId: string): Promise<RunRecord | undefined>;
  /** The runs in memory, newest first. */
  list(): RunRecord[];
}

export interface RunStoreOptions {
  /** Most runs kept in memory (default {@link DEFAULT_MAX_RUNS_KEPT}). */
  maxRuns?: number;
  /** Most bytes (as JSON) kept in memory (default {@link DEFAULT_MAX_RUN_BYTES_KEPT}). */
  maxBytes?: number;
  /** Folder for one `<run_id>.json` per run; created (mode 0700) on first write. */
  dir?: string;
  /** Told about a failed file write or read. */
  onError?: (error: unknown, runId: string) => void;
  /** Masks the server's secrets in every record before it is kept (memory and folder). */
  redactor?: Redactor;
}

export const DEFAULT_MAX_RUNS_KEPT = 100;
export const DEFAULT_MAX_RUN_BYTES_KEPT = 64 * 1024 * 1024;

/** Run ids are ours (UUIDs); anything else never reaches the file system. */
const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** True when `runId` could name a kept run (safe to use as a file name). */
export function isRunId(runId: string): boolean {
  return RUN_ID_PATTERN.test(runId);
}

/** Create a run store. */
export function createRunStore(options: RunStoreOptions = {}): RunStore {
  const maxRuns = options.maxRuns ?? DEFAULT_MAX_RUNS_KEPT;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RUN_BYTES_KEPT;
  // Map order is insertion order: re-inserting on save keeps the newest last.
  const runs = new Map<string, { record: RunRecord; bytes: number }>();
  let totalBytes = 0;
  // Writes of one run are chained so that its end never lands before its start.
  const writes = new Map<string, Promise<void>>();
  let dirReady: Promise<void> | undefined;

  function remember(record: RunRecord, json: string): void {
    const old = runs.get(record.run_id);
    if (old) {
      totalBytes -= old.bytes;
      runs.delete(record.run_id);
    }
    runs.set(record.run_id, { record, bytes: json.length });
    totalBytes += json.length;
    for (const [id, entry] of runs) {
      if (runs.size <= maxRuns && totalBytes <= maxBytes) break;
      if (id === record.run_id) continue;
      runs.delete(id);
      totalBytes -= entry.bytes;
    }
  }

  async function writeToDir(dir: string, runId: string, json: string): Promise<void> {
    dirReady ??= mkdir(dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    await dirReady;
    const file = path.join(dir, `${runId}.json`);
    const tmp = `${file}.tmp`;
    // Transcripts hold prompts and file contents: readable by the owner only.
    await writeFile(tmp, json, { mode: 0o600 });
    await rename(tmp, file);
  }

  return {
    async save(given) {
      const record = options.redactor ? options.redactor.deep(given) : given;
      const json = JSON.stringify(record, null, 2);
      remember(record, json);
      const dir = options.dir;
      if (!dir || !isRunId(record.run_id)) return;
      const previous = writes.get(record.run_id) ?? Promise.resolve();
      const next = previous
        .then(() => writeToDir(dir, record.run_id, json))
        .catch((error: unknown) => options.onError?.(error, record.run_id));
      writes.set(record.run_id, next);
      await next;
      if (writes.get(record.run_id) === next) writes.delete(record.run_id);
    },
    async get(runId) {
      const kept = runs.get(runId)?.record;
      if (kept || !options.dir || !isRunId(runId)) return kept;
      let text: string;
      try {
        text = await readFile(path.join(options.dir, `${runId}.json`), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') options.onError?.(error, runId);
        return undefined;
      }
      try {
        return parseRunRecord(JSON.parse(text));
      } catch (error) {
        options.onError?.(error, runId);
        return undefined;
      }
    },
    list() {
      return [...runs.values()].map((e) => e.record).reverse();
    },
  };
}
