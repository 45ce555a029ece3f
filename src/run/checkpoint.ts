/**
 * A run's checkpoint: what another process needs to carry a run on from its last completed turn
 * (docs/team-server.md). The loop writes one after each model turn that asks for tools (marked
 * `toolsInFlight`, before any tool runs) and after their results; a run carried on from a
 * checkpoint taken with tools in flight tells the model those calls were interrupted instead of
 * running them again, since they may or may not have taken effect.
 */
import { z } from 'zod';
import type { ModelMessage, RequestPrefix, ToolResultBlock, ToolUseBlock } from './model.js';
import { UsageSchema, type Usage } from './usage.js';

export interface RunCheckpoint {
  /** The run's id (its transcript, run://<id>). */
  runId: string;
  messages: ModelMessage[];
  /** The system prompt and tools sent: signed thinking blocks are bound to them. */
  prefix: RequestPrefix;
  turns: number;
  usage: Usage;
  /** Dollars spent so far; null when a model of the run has no known price. */
  costUsd: number | null;
  /** Wall-clock time the run had used, so its limit counts across processes. */
  elapsedMs: number;
  /** The run's todo list (TodoWrite), as the model last wrote it. */
  todos: unknown[];
  /** True when the last message asks for tools whose results were not yet in. */
  toolsInFlight: boolean;
}

const CheckpointShape = z.object({
  runId: z.string().min(1),
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content: z.array(z.looseObject({ type: z.string() })) })),
  prefix: z.looseObject({ system: z.string(), tools: z.array(z.looseObject({ name: z.string() })), serverTools: z.array(z.looseObject({ type: z.string() })) }),
  turns: z.number().int().nonnegative(),
  usage: UsageSchema,
  costUsd: z.number().nullable(),
  elapsedMs: z.number().nonnegative(),
  todos: z.array(z.unknown()),
  toolsInFlight: z.boolean(),
});

/**
 * The stored form, checked when read back (another replica, perhaps another version, wrote it)
 * and then kept exactly as read: the prefix's bytes, key order included, are what was sent.
 */
export const RunCheckpointSchema = z.custom<RunCheckpoint>((value) => CheckpointShape.safeParse(value).success, { message: 'not a run checkpoint' });

/** Where a durable run's checkpoints go, and the one it carries on from. */
export interface Checkpoints {
  /** The checkpoint to carry on from (a run taken over from another process). */
  from?: RunCheckpoint;
  /** Keep `checkpoint`; the loop waits for it before running tools. Never rejects. */
  save(checkpoint: RunCheckpoint): Promise<void>;
}

export const INTERRUPTED_TOOL_CALL =
  'Interrupted: the server process running this tool call stopped before it finished, and another one carried the run on. The call may or may not have taken effect; check before you repeat it.';

/** The conversation to carry on with: tool calls that were in flight are answered as interrupted. */
export function messagesToContinue(checkpoint: RunCheckpoint): ModelMessage[] {
  const messages = [...checkpoint.messages];
  const last = messages.at(-1);
  if (!checkpoint.toolsInFlight || last?.role !== 'assistant') return messages;
  const calls = last.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
  const results: ToolResultBlock[] = calls.map((call) => ({ type: 'tool_result', tool_use_id: call.id, content: [{ type: 'text', text: INTERRUPTED_TOOL_CALL }], is_error: true }));
  return [...messages, { role: 'user', content: results }];
}
