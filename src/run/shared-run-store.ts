/**
 * Runs kept in the shared store (docs/team-server.md), so that any replica lists, reads and
 * resumes a run whichever replica ran it. Each run is two records owned by its principal: its
 * summary in `runs` (what `agents://runs` lists, small) and its conversation in `transcripts`
 * (big), both living {@link RUN_RETENTION_MSEC} after their last write. Only the replica running
 * a run writes it. A store that is away never fails a run: the write is reported and skipped;
 * reads reject with RunStoreUnavailableError, which the front ends answer as a clear error.
 */
import { z } from 'zod';
import type { Redactor } from '../redact.js';
// Not the store's engines: a one-process server never loads the Redis client.
import { createCollection, type TypedRecord } from '../store/collection.js';
import { StoreUnavailableError, type StoreDataError } from '../store/errors.js';
import type { Store } from '../store/store.js';
import { ownerOf, parseRunRecord, RunRecordSchema, type RunRecord } from './run-record.js';
import { RunStoreUnavailableError, type RunKeepingPlace, type RunStore, type RunSummary } from './run-store.js';
import { openRunsDir } from './runs-dir.js';

/** How long a run is kept after its last write: a week of "what did that agent do on Monday?". */
export const RUN_RETENTION_MSEC = 7 * 24 * 60 * 60 * 1000;
/** Most runs `agents://runs` lists per principal. */
export const MAX_LISTED_RUNS = 100;

const SummarySchema = RunRecordSchema.omit({ messages: true, prefix: true });
// The conversation is checked as a whole record on read (parseRunRecord), which keeps the
// prefix's bytes exactly as sent; here it only has to be the right shape of object.
const TranscriptSchema = z.object({ messages: z.array(z.unknown()), prefix: z.unknown().optional() });

export interface SharedRunStoreOptions {
  store: Store;
  /** Also keep one `<run_id>.json` per run in this folder (`--runs-dir`); it answers reads the store cannot. */
  dir?: string;
  /** Masks the server's secrets in every record before it is kept. */
  redactor?: Redactor;
  /**
   * Told about a failed write (a store that is away, a run too big to keep) and an unreadable
   * record; `runId` is the namespace when a listed record did not decode.
   */
  onError?: (error: unknown, runId: string, place: RunKeepingPlace) => void;
  /** Default {@link RUN_RETENTION_MSEC}. */
  ttlMs?: number;
}

/** A {@link RunStore} on the shared store. */
export function createSharedRunStore(options: SharedRunStoreOptions): RunStore {
  const report = options.onError ?? (() => undefined);
  const ttlMs = options.ttlMs ?? RUN_RETENTION_MSEC;
  const onInvalid = (place: string) => (error: StoreDataError) => report(error, place, 'store');
  const summaries = createCollection(options.store, { namespace: 'runs', schema: SummarySchema, ttlMs, onInvalid: onInvalid('runs') });
  const transcripts = createCollection(options.store, { namespace: 'transcripts', schema: TranscriptSchema, ttlMs, onInvalid: onInvalid('transcripts') });
  const dir = options.dir === undefined ? undefined : openRunsDir(options.dir, (error, runId) => report(error, runId, 'dir'));
  // Writes of one run are chained so that its end never lands before its start.
  const writes = new Map<string, Promise<void>>();

  async function writeToStore(record: RunRecord): Promise<void> {
    const { messages, prefix, ...summary } = record;
    const owner = ownerOf(record);
    // The conversation first: a reader that sees `ended` in the summary finds the final transcript.
    await transcripts.put(record.run_id, owner, { messages, ...(prefix ? { prefix } : {}) });
    await summaries.put(record.run_id, owner, summary);
  }

  /** A read of the store; a store that is away becomes RunStoreUnavailableError, bad data "not kept". */
  async function readStore<T>(runId: string, read: () => Promise<T>): Promise<T | undefined> {
    try {
      return await read();
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw new RunStoreUnavailableError(error);
      // Written by another version, or damaged: reported, and answered like an unknown run
      // (whoever asks), so that its owner's name is never in the answer.
      report(error, runId, 'store');
      return undefined;
    }
  }

  return {
    async save(given) {
      const record = options.redactor ? options.redactor.deep(given) : given;
      const runId = record.run_id;
      const previous = writes.get(runId) ?? Promise.resolve();
      const next = previous.then(() => writeToStore(record)).catch((error: unknown) => report(error, runId, 'store'));
      writes.set(runId, next);
      await Promise.all([next, dir?.write(runId, JSON.stringify(record, null, 2))]);
      if (writes.get(runId) === next) writes.delete(runId);
    },
    async get(runId) {
      let summary: TypedRecord<RunSummary> | undefined;
      try {
        summary = await readStore(runId, () => summaries.get(runId));
      } catch (error) {
        // The store is away: a run this replica also wrote to --runs-dir can still be read.
        const kept = await dir?.read(runId);
        if (kept) return kept;
        throw error;
      }
      if (!summary) return dir?.read(runId);
      const transcript = await readStore(runId, () => transcripts.getOwned(runId, summary.principal));
      // A run whose transcript is gone (expired, too big to keep) is still listed and readable, without its turns.
      return parseRunRecord({ ...summary.value, messages: [], ...transcript?.value });
    },
    async list(principal) {
      const listed = await readStore(principal, () => summaries.list(principal, { limit: MAX_LISTED_RUNS }));
      return (listed ?? []).map((r): RunSummary => r.value);
    },
  };
}
