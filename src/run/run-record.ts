/**
 * What is kept of a run: enough to show its transcript, list it, and resume its conversation.
 * The JSON shape (snake_case, like the tool's structuredContent) is what `run://<id>/json`
 * serves and what `--runs-dir` stores; the zod schema reads it back from disk.
 */
import { z } from 'zod';
import type { RunResult } from './result.js';
import type { ModelMessage } from './model.js';

const UsageSchema = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_creation_input_tokens: z.number(),
  cache_read_input_tokens: z.number(),
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
  cost_usd: z.number(),
  duration_ms: z.number(),
  warnings: z.array(z.string()),
  error: z.object({ kind: z.string(), message: z.string(), advice: z.string() }).optional(),
});

export const RunRecordSchema = z.object({
  run_id: z.string(),
  agent: z.string(),
  model: z.string(),
  /** `queued` waits for a slot (--max-concurrent-runs); `running`; `ended` has an outcome. */
  status: z.enum(['queued', 'running', 'ended']),
  /** This call's prompt (for a resumed run, the follow-up). */
  prompt: z.string(),
  resumed_from: z.string().optional(),
  started_at: z.string(),
  ended_at: z.string().optional(),
  outcome: OutcomeSchema.optional(),
  /** The whole conversation, a resumed run's earlier turns included. */
  messages: z.array(MessageSchema),
});

/** One kept run. */
export type RunRecord = Omit<z.infer<typeof RunRecordSchema>, 'messages'> & { messages: ModelMessage[] };

/** A stored record read back (from a file), or undefined when it is not one. */
export function parseRunRecord(json: unknown): RunRecord | undefined {
  const parsed = RunRecordSchema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

/** The record of a run that has ended with `result`. */
export function endedRecord(base: RunRecord, result: RunResult, endedAt: Date): RunRecord {
  return {
    ...base,
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
  };
}
