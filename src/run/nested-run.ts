/**
 * The `runNested` a run hands its tools (see ToolContext): the Agent tool's way to start another
 * agent of the catalog as a nested run. The nested run gets the parent's chain (so the depth and
 * cycle guard apply), the parent's signal (so cancellation and the deadline are shared), and its
 * result is recorded in the parent's delegation tree.
 */
import type { AgentDefinition } from '../agents/definition.js';
import type { ChainLink } from '../tools/delegation/chain.js';
import type { DelegationNode } from '../tools/delegation/delegation-node.js';
import type { NestedRunRequest, ToolContext, ToolResult } from '../tools/tool.js';
import { textResult } from '../tools/tool.js';
import { toDelegationNode } from './delegation-tree.js';
import type { RunResult } from './result.js';
import { describeStop } from './stop-message.js';

/** What a nested run is started with. */
export interface NestedCall {
  agent: AgentDefinition;
  prompt: string;
  /** The parent's chain, ending with the parent. */
  chain: readonly ChainLink[];
  signal: AbortSignal;
  model?: string;
  onProgress?: NestedRunRequest['onProgress'];
}

/** What the model gets back from a nested run: its answer, or an error it can act on. */
export function toNestedToolResult(result: RunResult): ToolResult {
  const who = `Agent "${result.agent}"`;
  if (result.error) return textResult(`${who} did not complete: ${result.error.message}\n${result.error.advice}`, true);
  switch (result.stopReason) {
    case 'end_turn':
    case 'stop_sequence':
      return textResult(result.answer || `${who} finished without a text answer.`);
    case 'max_turns':
      return textResult(`${result.answer}\n\n[${who} stopped at its turn limit (${result.turns} turns); the answer may be incomplete.]`.trim());
    case 'max_cost':
    case 'max_duration':
      return textResult(`${result.answer}\n\n[${who} stopped at the ${result.stopReason === 'max_cost' ? 'dollar budget' : 'time limit'} it shares with you; the answer may be incomplete.]`.trim());
    case 'cancelled':
      return textResult(`${who} was cancelled.`, true);
    default: {
      // The nested run's own resume id means nothing to the model: keep what happened, not the advice.
      const stop = describeStop(result);
      const said = stop ? stop.message : `stopped (stop_reason: ${result.rawStopReason ?? result.stopReason}).`;
      return textResult(`${who} ${said}${result.answer ? `\n\n${result.answer}` : ''}`, true);
    }
  }
}

/**
 * Create the parent's `runNested`. `findTarget` looks up an agent the parent may start (undefined
 * when it is gone from the catalog or off the parent's allow-list); `call`
 * runs one (it is prepareAndRun with the parent's dependencies); finished nested runs are appended
 * to `delegations`.
 */
export function createRunNested(options: {
  chain: readonly ChainLink[];
  signal: AbortSignal;
  findTarget: (name: string) => AgentDefinition | undefined;
  call: (nested: NestedCall) => Promise<RunResult>;
  delegations: DelegationNode[];
}): NonNullable<ToolContext['runNested']> {
  return async (request) => {
    const agent = options.findTarget(request.agent);
    if (!agent) return textResult(`Agent: no agent "${request.agent}" is in the catalog any more; pick another one.`, true);
    const result = await options.call({
      agent,
      prompt: request.prompt,
      chain: options.chain,
      // The calling tool's signal carries the parent's deadline; the run's own is only the caller's cancel.
      signal: request.signal ?? options.signal,
      ...(request.model !== undefined ? { model: request.model } : {}),
      ...(request.onProgress ? { onProgress: request.onProgress } : {}),
    });
    options.delegations.push(toDelegationNode(result));
    return toNestedToolResult(result);
  };
}
