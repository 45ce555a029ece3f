/**
 * `--runs-dir`: one owner-only `<run_id>.json` per run, so transcripts outlive the process.
 * Writes of one run are chained so that its end never lands before its start; a failed write
 * or read is reported through `onError` and never fails a run.
 */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseRunRecord, type RunRecord } from './run-record.js';

/** A folder of kept runs. */
export interface RunsDir {
  /** Write `json` as the run's file (after any earlier write of the same run). Never rejects. */
  write(runId: string, json: string): Promise<void>;
  /** The run's record from its file; undefined when there is none or it is not a record. Never rejects. */
  read(runId: string): Promise<RunRecord | undefined>;
}

/** Run ids are ours (UUIDs); anything else never reaches the file system. */
const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** True when `runId` could name a kept run (safe to use as a file name). */
export function isRunId(runId: string): boolean {
  return RUN_ID_PATTERN.test(runId);
}

/** Keep runs in `dir`, created (mode 0700) on the first write. */
export function openRunsDir(dir: string, onError: (error: unknown, runId: string) => void): RunsDir {
  const writes = new Map<string, Promise<void>>();
  let dirReady: Promise<void> | undefined;

  async function writeFileOf(runId: string, json: string): Promise<void> {
    dirReady ??= mkdir(dir, { recursive: true, mode: 0o700 }).then(() => undefined);
    await dirReady;
    const file = path.join(dir, `${runId}.json`);
    const tmp = `${file}.tmp`;
    // Transcripts hold prompts and file contents: readable by the owner only.
    await writeFile(tmp, json, { mode: 0o600 });
    await rename(tmp, file);
  }

  return {
    async write(runId, json) {
      if (!isRunId(runId)) return;
      const previous = writes.get(runId) ?? Promise.resolve();
      const next = previous.then(() => writeFileOf(runId, json)).catch((error: unknown) => onError(error, runId));
      writes.set(runId, next);
      await next;
      if (writes.get(runId) === next) writes.delete(runId);
    },
    async read(runId) {
      if (!isRunId(runId)) return undefined;
      let text: string;
      try {
        text = await readFile(path.join(dir, `${runId}.json`), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') onError(error, runId);
        return undefined;
      }
      try {
        return parseRunRecord(JSON.parse(text));
      } catch (error) {
        onError(error, runId);
        return undefined;
      }
    },
  };
}
