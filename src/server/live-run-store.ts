/**
 * What the store keeps of 2026 runs so that any replica can answer for them (docs/team-server.md):
 * each run's record (status, open questions, result, and the call that started it, so another
 * replica can carry it on), its last checkpoint, and an index of the runs not yet ended, which
 * replicas scan for runs whose lease lapsed. Two channels carry what must reach the replica that
 * executes a run (answers, cancels, hand-overs) and news of a run's change to replicas that wait on it.
 */
import { z } from 'zod';
import { RunCheckpointSchema } from '../run/checkpoint.js';
import type { Logger } from '../log.js';
import { createChannel, type Channel } from '../store/channel.js';
import { createCollection, type Collection } from '../store/collection.js';
import type { Store } from '../store/store.js';

/** How a run was asked for: enough to run it again, on any replica. */
export const LiveRunSpecSchema = z.object({
  principal: z.string().min(1),
  /** The tools/call params as received (name, arguments, the delegation chain in _meta). */
  call: z.object({ name: z.string(), arguments: z.record(z.string(), z.unknown()).optional(), _meta: z.record(z.string(), z.unknown()).optional() }),
  caller: z.object({ asks: z.literal('input_required').optional(), tasks: z.boolean() }),
});
export type LiveRunSpec = z.infer<typeof LiveRunSpecSchema>;

const STATUSES = ['working', 'input_required', 'completed', 'failed', 'cancelled'] as const;

export const LiveRunRecordSchema = z.object({
  spec: LiveRunSpecSchema,
  status: z.enum(STATUSES),
  statusMessage: z.string().optional(),
  /** Open approval questions by key: the elicitation form of each. */
  questions: z.record(z.string(), z.looseObject({ message: z.string() })),
  /** Questions asked so far over the run's life (keys stay unique across replicas). */
  questionCount: z.number().int().nonnegative(),
  /** The tool result, once the run ended. */
  result: z.looseObject({ content: z.array(z.looseObject({ type: z.string() })) }).optional(),
  createdAt: z.string(),
  lastUpdatedAt: z.string(),
  /** Set when a cancel found no replica running the run: whoever takes it over ends it instead. */
  cancelRequested: z.string().optional(),
});
export type LiveRunRecord = z.infer<typeof LiveRunRecordSchema>;

/** What reaches the replica executing a run (every replica hears it; only the executor acts). */
export const RunControlSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('answer'), id: z.string(), responses: z.record(z.string(), z.unknown()) }),
  z.object({ kind: z.literal('cancel'), id: z.string(), reason: z.string() }),
  /** A replica shutting down let a run go: take it over now rather than when its lease lapses. */
  z.object({ kind: z.literal('released'), id: z.string() }),
]);
export type RunControl = z.infer<typeof RunControlSchema>;

const RunChangedSchema = z.object({ id: z.string() });

/** The owner of index entries: not a principal anyone can be (principal names have no colon). */
export const SERVER_PRINCIPAL = 'agents-mcp:server';

/** The typed views of the store the live runs use. */
export interface LiveRunStore {
  records: Collection<LiveRunRecord>;
  checkpoints: Collection<z.output<typeof RunCheckpointSchema>>;
  /** Ids of runs not yet ended, owned by {@link SERVER_PRINCIPAL}. */
  unfinished: Collection<Record<string, never>>;
  control: Channel<RunControl>;
  changed: Channel<z.infer<typeof RunChangedSchema>>;
  lease(id: string): string;
}

/** How long a run's record, checkpoint and index entry stay after their last write. */
export interface LiveRunStoreOptions {
  recordTtlMs: number;
  /** Unfinished runs and their checkpoints: long enough to outlive any run's wall-clock limit. */
  unfinishedTtlMs: number;
  logger: Pick<Logger, 'warn'>;
}

/** Open the typed views over `store`. */
export function openLiveRunStore(store: Store, options: LiveRunStoreOptions): LiveRunStore {
  const onInvalid = (error: Error): void => options.logger.warn({ err: error.message }, 'ignored a live-run entry in the store');
  return {
    records: createCollection(store, { namespace: 'live-runs', schema: LiveRunRecordSchema, ttlMs: options.recordTtlMs, onInvalid }),
    // As long as the run may go on: a turn's tools (a nested agent, a long command) can outlast a record's TTL.
    checkpoints: createCollection(store, { namespace: 'checkpoints', schema: RunCheckpointSchema, ttlMs: options.unfinishedTtlMs, onInvalid }),
    unfinished: createCollection(store, { namespace: 'unfinished-runs', schema: z.object({}).strict() as unknown as z.ZodType<Record<string, never>>, ttlMs: options.unfinishedTtlMs, onInvalid }),
    control: createChannel(store, { name: 'live-runs.control', schema: RunControlSchema, onInvalid }),
    changed: createChannel(store, { name: 'live-runs.changed', schema: RunChangedSchema, onInvalid }),
    lease: (id) => `live-run:${id}`,
  };
}
