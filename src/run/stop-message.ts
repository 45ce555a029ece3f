/**
 * What to tell the caller when a run ended on a stop reason other than a plain answer: what
 * happened and what to do, one entry per reason the Messages API documents (those the loop
 * continues by itself — tool_use, max_tokens, pause_turn — never end a run).
 * @see https://platform.claude.com/docs/en/build-with-claude/handling-stop-reasons
 */
import type { RunResult } from './loop.js';

/** A sentence saying what happened, and one saying what to do. */
export interface StopMessage {
  message: string;
  advice: string;
}

/** Our sentence for a refusal the API gave no explanation for. */
export const REFUSAL_WITHOUT_EXPLANATION = 'The model declined to continue with this task and gave no explanation.';

/** The message for how `result` ended, or undefined when it ended with an answer (or an error, which speaks for itself). */
export function describeStop(result: Pick<RunResult, 'stopReason' | 'rawStopReason' | 'refusal' | 'runId'>): StopMessage | undefined {
  switch (result.stopReason) {
    case 'refusal': {
      const explanation = result.refusal?.explanation ?? REFUSAL_WITHOUT_EXPLANATION;
      const category = result.refusal?.category ? ` (category: ${result.refusal.category})` : '';
      return {
        message: `declined the task${category}: ${explanation}`,
        advice: `Rephrase the task or give the agent another model. Resuming this run ("resume": "${result.runId}") drops the refused turn first.`,
      };
    }
    case 'model_context_window_exceeded':
      return {
        message: "filled the model's context window; its answer is cut off there.",
        advice: 'Start a new run with a narrower task (resuming would start from the full context again), or give the agent a model with a larger context window.',
      };
    case 'other':
      return {
        message: `stopped for a reason this server does not know (stop_reason: ${result.rawStopReason ?? 'none'}).`,
        advice: 'Try again; if it persists, update agents-mcp, which may not know this stop reason yet.',
      };
    default:
      return undefined;
  }
}
