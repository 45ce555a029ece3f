/**
 * Where runs are kept. Two engines: this process's memory, bounded by count and size (oldest
 * dropped first), for one server; or the shared store (shared-run-store.ts), so that any replica
 * can list, read and resume any run. Either may also write one JSON file per run to a folder
 * (`--runs-dir`) so transcripts outlive the process. Keeping a run never fails it: a failed
 * write is reported through `onError` and the run goes on.
 */
import type { Redactor } from '../redact.js';
import { ownerOf, type RunRecord } from './run-record.js';
import { openRunsDir } from './runs-dir.js';

export { isRunId } from './runs-dir.js';

/** What `agents://runs` shows of a run: its record without the conversation. */
export type RunSummary = Omit<RunRecord, 'messages' | 'prefix'>;

/** Keeps runs. */
export interface RunStore {
  /** Insert or replace a run's record (masked with the redactor first). Never rejects. */
  save(record: RunRecord): Promise<void>;
  /**
   * A run by id, whoever owns it (callers check {@link ownerOf}); undefined when unknown.
   * Rejects with {@link RunStoreUnavailableError} when the shared store cannot be reached.
   */
  get(runId: string): Promise<RunRecord | undefined>;
  /**
   * `principal`'s runs, newest first. Rejects with {@link RunStoreUnavailableError} when the
   * shared store cannot be reached.
   */
  list(principal: string): Promise<RunSummary[]>;
}

/** The shared run store could not be reached (e.g. Redis is restarting); the same read may work in a moment. */
export class RunStoreUnavailableError extends Error {
  constructor(cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    super(`The run store is unreachable, so kept runs cannot be read right now (${why}). Retry in a moment.`, { cause });
    this.name = new.target.name;
  }
}

/** Where a run could not be kept: the `--runs-dir` folder or the shared store. */
export type RunKeepingPlace = 'dir' | 'store';

export interface RunStoreOptions {
  /** Most runs kept in memory (default {@link DEFAULT_MAX_RUNS_KEPT}). */
  maxRuns?: number;
  /** Most bytes (as JSON) kept in memory (default {@link DEFAULT_MAX_RUN_BYTES_KEPT}). */
  maxBytes?: number;
  /** Folder for one `<run_id>.json` per run; created (mode 0700) on first write. */
  dir?: string;
  /** Told about a failed write or read. */
  onError?: (error: unknown, runId: string, place: RunKeepingPlace) => void;
  /** Masks the server's secrets in every record before it is kept (memory and folder). */
  redactor?: Redactor;
}

export const DEFAULT_MAX_RUNS_KEPT = 100;
export const DEFAULT_MAX_RUN_BYTES_KEPT = 64 * 1024 * 1024;

/** Create a run store in this process's memory (and `options.dir`). */
export function createRunStore(options: RunStoreOptions = {}): RunStore {
  const maxRuns = options.maxRuns ?? DEFAULT_MAX_RUNS_KEPT;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_RUN_BYTES_KEPT;
  // Map order is insertion order: re-inserting on save keeps the newest last.
  const runs = new Map<string, { record: RunRecord; bytes: number }>();
  let totalBytes = 0;
  const dir = options.dir === undefined ? undefined : openRunsDir(options.dir, (error, runId) => options.onError?.(error, runId, 'dir'));

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

  return {
    async save(given) {
      const record = options.redactor ? options.redactor.deep(given) : given;
      const json = JSON.stringify(record, null, 2);
      remember(record, json);
      await dir?.write(record.run_id, json);
    },
    async get(runId) {
      return runs.get(runId)?.record ?? (await dir?.read(runId));
    },
    list(principal) {
      return Promise.resolve([...runs.values()].map((e) => e.record).filter((r) => ownerOf(r) === principal).reverse());
    },
  };
}
