/**
 * A RunResult → the MCP tools/call result. The one place where the outcome of a run is
 * turned into what the client sees: an answer, or an isError result that says what
 * happened and what to do.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { RunResult } from '../run/loop.js';

/** The structuredContent of an agent tool (see AGENT_OUTPUT_SCHEMA). */
export function toStructuredContent(result: RunResult): Record<string, unknown> {
  return {
    answer: result.answer,
    run_id: result.runId,
    agent: result.agent,
    model: result.model,
    backend: result.backend,
    stop_reason: result.stopReason,
    turns: result.turns,
    usage: result.usage,
    cost_usd: result.costUsd,
    duration_ms: result.durationMs,
    warnings: result.warnings,
  };
}

function failureText(result: RunResult): string {
  if (result.error) return `Agent ${result.agent} failed: ${result.error.message}\n${result.error.advice}`;
  switch (result.stopReason) {
    case 'cancelled':
      return `Agent ${result.agent} was cancelled after ${result.turns} turn(s).`;
    case 'refusal':
      return `Agent ${result.agent} declined the task (stop_reason: refusal).${result.answer ? `\n\n${result.answer}` : ''}`;
    default:
      return `Agent ${result.agent} stopped unexpectedly (stop_reason: ${result.rawStopReason ?? result.stopReason}), a reason this server does not know; try again, and update agents-mcp if it persists.${result.answer ? `\n\n${result.answer}` : ''}`;
  }
}

/**
 * Runs that end normally (end_turn, stop_sequence) or on a limit with a partial answer
 * return the answer; the rest are isError with an explanation.
 */
export function toCallToolResult(result: RunResult): CallToolResult {
  const structuredContent = toStructuredContent(result);
  if ((result.stopReason === 'end_turn' || result.stopReason === 'stop_sequence') && result.answer.trim() === '') {
    const text = `Agent ${result.agent} ended without an answer: the model wrote no text in ${result.turns} turn(s). Call it again, perhaps with a more specific prompt.`;
    return { content: [{ type: 'text', text }], structuredContent, isError: true };
  }
  if (result.stopReason === 'end_turn' || result.stopReason === 'stop_sequence') {
    return { content: [{ type: 'text', text: result.answer }], structuredContent };
  }
  if (result.stopReason === 'max_turns') {
    const note = `[agents-mcp: the agent stopped at its turn limit (${result.turns} turns); the answer may be incomplete. Raise --max-turns or the agent's maxTurns, or narrow the task.]`;
    return { content: [{ type: 'text', text: result.answer ? `${result.answer}\n\n${note}` : note }], structuredContent };
  }
  return { content: [{ type: 'text', text: failureText(result) }], structuredContent, isError: true };
}
