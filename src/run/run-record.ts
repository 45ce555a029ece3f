/**
 * What is kept of a run: enough to show its transcript, list it, and resume its conversation
 * under the system prompt and tools it was sent with. The JSON shape (snake_case, like the
 * tool's structuredContent) is what `run://<id>/json` serves and what `--runs-dir` stores; the
 * zod schema reads it back from disk.
 */
import { z } from 'zod';
import { LOCAL_PRINCIPAL } from './call-context.js';
import type { RunResult } from './result.js';
import { UsageSchema } from './usage.js';
import type { ModelMessage, RequestPrefix, ServerToolSpec, ToolSpec } from './model.js';

/**
 * Version of the stored shape. 2 added `prefix`; records without a version are 1 (they resume
 * without their old thinking blocks, see resume.ts).
 */
export const RUN_RECORD_SCHEMA_VERSION = 2;

/** The system prompt and tools a run was sent with, checked here and kept exactly as stored. */
const PrefixSchema = z.object({
  system: z.string(),
  tools: z.array(z.looseObject({ name: z.string(), description: z.string(), input_schema: z.looseObject({ type: z.literal('object') }) })),
  server_tools: z.array(z.looseObject({ type: z.string(), name: z.string() })),
});

const MessageSchema = z.looseObject({
  role: z.enum(['user', 'assistant']),
  content: z.array(z.looseObject({ type: z.string() })),
});

/** The outcome of a run that has ended. */
const OutcomeSchema = z.object({
  answer: z.string(),
  stop_reason: z.string(),
  raw_stop_reason: z.string().optional(),
  backend: z.string(),
  turns: z.number(),
  usage: UsageSchema,
  /** null when a model of the run has no known price. */
  cost_usd: z.number().nullable(),
  duration_ms: z.number(),
  warnings: z.array(z.string()),
  error: z.object({ kind: z.string(), message: z.string(), advice: z.string() }).optional(),
});

export const RunRecordSchema = z.object({
  /** {@link RUN_RECORD_SCHEMA_VERSION}; absent in records of version 1. */
  schema_version: z.number().int().positive().optional(),
  run_id: z.string(),
  agent: z.string(),
  model: z.string(),
  /** `queued` waits for a slot (--max-concurrent-runs); `running`; `ended` has an outcome. */
  status: z.enum(['queued', 'running', 'ended']),
  /** This call's prompt (for a resumed run, the follow-up). */
  prompt: z.string(),
  resumed_from: z.string().optional(),
  /** Who started it; only they can list, read or resume it. Absent in older records: `local`. */
  principal: z.string().optional(),
  started_at: z.string(),
  ended_at: z.string().optional(),
  outcome: OutcomeSchema.optional(),
  /** The whole conversation, a resumed run's earlier turns included. */
  messages: z.array(MessageSchema),
  /** What the run sent before its messages (absent before it reached the model, and in version 1). */
  prefix: PrefixSchema.optional(),
});

/** The stored form of a {@link RequestPrefix}. */
export interface StoredPrefix {
  system: string;
  tools: ToolSpec[];
  server_tools: ServerToolSpec[];
}

/** One kept run. */
export type RunRecord = Omit<z.infer<typeof RunRecordSchema>, 'messages' | 'prefix'> & { messages: ModelMessage[]; prefix?: StoredPrefix };

/**
 * A stored record read back (from a file), or undefined when it is not one. The prefix is
 * returned as read, not as parsed, so its bytes (key order included) are what was sent.
 */
export function parseRunRecord(json: unknown): RunRecord | undefined {
  const parsed = RunRecordSchema.safeParse(json);
  if (!parsed.success) return undefined;
  const prefix = parsed.data.prefix ? ((json as { prefix: StoredPrefix }).prefix) : undefined;
  return { ...parsed.data, ...(prefix ? { prefix } : {}) };
}

/** The prefix in the run's stored form. */
export function toStoredPrefix(prefix: RequestPrefix): StoredPrefix {
  return { system: prefix.system, tools: prefix.tools, server_tools: prefix.serverTools };
}

/** A stored prefix as the loop sends it. */
export function fromStoredPrefix(stored: StoredPrefix): RequestPrefix {
  return { system: stored.system, tools: stored.tools, serverTools: stored.server_tools };
}

/** The record of a run that has ended with `result`. */
export function endedRecord(base: RunRecord, result: RunResult, endedAt: Date): RunRecord {
  return {
    ...base,
    schema_version: RUN_RECORD_SCHEMA_VERSION,
    model: result.model,
    status: 'ended',
    ended_at: endedAt.toISOString(),
    outcome: {
      answer: result.answer,
      stop_reason: result.stopReason,
      ...(result.rawStopReason ? { raw_stop_reason: result.rawStopReason } : {}),
      backend: result.backend,
      turns: result.turns,
      usage: result.usage,
      cost_usd: result.costUsd,
      duration_ms: result.durationMs,
      warnings: result.warnings,
      ...(result.error ? { error: result.error } : {}),
    },
    messages: result.messages ?? base.messages,
    ...(result.prefix ? { prefix: toStoredPrefix(result.prefix) } : base.prefix ? { prefix: base.prefix } : {}),
  };
}

/** The principal a kept run belongs to (records from before principals: the local user). */
export function ownerOf(record: Pick<RunRecord, 'principal'>): string {
  return record.principal ?? LOCAL_PRINCIPAL;
}
