/**
 * A RunResult → the MCP tools/call result. The one place where the outcome of a run is
 * turned into what the client sees: an answer, or an isError result that says what
 * happened and what to do.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { totalCostUsd, totalUsage } from '../run/delegation-tree.js';
import type { RunResult } from '../run/result.js';
import { describeStop } from '../run/stop-message.js';

/**
 * The structuredContent of an agent tool (see AGENT_OUTPUT_SCHEMA), kept lean because a client
 * may show all of it to its model: the answer, ids, model, how the run ended, usage, cost and
 * time always; `warnings` only when this run has some (what an agent file lists but no run offers
 * is reported once, in validate and agents://index, not here); `delegations` with `total_usage`
 * and `total_cost_usd` only when the run delegated.
 */
export function toStructuredContent(result: RunResult): Record<string, unknown> {
  const delegations = result.delegations ?? [];
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
    ...(result.refusal ? { stop_details: result.refusal } : {}),
    duration_ms: result.durationMs,
    ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
    ...(delegations.length > 0
      ? { delegations, total_usage: totalUsage(result.usage, delegations), total_cost_usd: totalCostUsd(result.costUsd, delegations) }
      : {}),
  };
}

function failureText(result: RunResult): string {
  if (result.error) return `Agent ${result.agent} failed: ${result.error.message}\n${result.error.advice}`;
  switch (result.stopReason) {
    case 'cancelled':
      return `Agent ${result.agent} was cancelled after ${result.turns} turn(s).`;
    default: {
      const stop = describeStop(result);
      const said = stop ? `${stop.message}\n${stop.advice}` : `stopped (stop_reason: ${result.rawStopReason ?? result.stopReason}).`;
      return `Agent ${result.agent} ${said}${result.answer ? `\n\n${result.answer}` : ''}`;
    }
  }
}

/** What to say when a run stopped at one of its limits, or undefined for any other end. */
function limitNote(result: RunResult): string | undefined {
  const resume = `Call again with "resume": "${result.runId}" to let it go on.`;
  switch (result.stopReason) {
    case 'max_turns':
      return `[agents-mcp: the agent stopped at its turn limit (${result.turns} turns); the answer may be incomplete. Raise --max-turns or the agent's maxTurns, or narrow the task. ${resume}]`;
    case 'max_duration':
      return `[agents-mcp: the agent stopped at its time limit after ${Math.round(result.durationMs / 1000)} s; the answer may be incomplete. Raise --max-duration or the agent's maxDurationSeconds, or narrow the task. ${resume}]`;
    case 'max_cost':
      return `[agents-mcp: the agent stopped at its cost limit ($${(result.costUsd ?? 0).toFixed(4)} spent); the answer may be incomplete. Raise --max-cost-usd or the agent's maxCostUsd, or narrow the task. ${resume}]`;
    default:
      return undefined;
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
  const note = limitNote(result);
  if (note) {
    return { content: [{ type: 'text', text: result.answer ? `${result.answer}\n\n${note}` : note }], structuredContent };
  }
  return { content: [{ type: 'text', text: failureText(result) }], structuredContent, isError: true };
}

/** A call that did not run, as the isError result that says why and what to do. */
export function refusedCall(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}
