/**
 * Executing a 2026 run from its spec: the same on the replica that started it and on one that
 * carries it on. The call is resolved again against this replica's catalog (the agents folder is
 * on every replica's disk); progress goes to whichever request of the caller is attached here.
 */
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CallContext } from '../run/call-context.js';
import { summarizeRun, type RunResult } from '../run/result.js';
import type { Runner } from '../run/runner.js';
import { checkResume, resolveAgentCall } from './agent-request.js';
import type { Listings } from './listings.js';
import type { ExecuteRun } from './live-runs.js';
import { createProgressReporter } from './progress.js';
import type { CallAgent } from './publish.js';
import { refusedCall, toCallToolResult } from './tool-result.js';

export interface RunExecutorOptions {
  /** The catalog, once loaded. */
  listings: () => Promise<Listings>;
  callAgent: CallAgent;
  runs?: Pick<Runner, 'prepareResume'>;
  progressIntervalMs?: number;
}


/** The executor every 2026 run goes through. */
export function createRunExecutor(options: RunExecutorOptions): ExecuteRun {
  return async (spec, { signal, askUser, setStatus, sink, checkpoints }) => {
    const call = resolveAgentCall(await options.listings(), spec.call);
    if (call.kind === 'answer') return call.result as CallToolResult;
    if (call.kind === 'invalid_params') return refusedCall(`${call.message} (The agent may have been removed from this server's folder.)`);
    let resume: CallContext['resume'];
    if (call.resume) {
      const check = await checkResume(options.runs, call.resume, call.agent.name, spec.principal);
      if (!check.ok) return refusedCall(check.refusal);
      resume = check.resume;
    }
    const reporter = createProgressReporter({
      send: (update) => {
        setStatus(update.message);
        sink()?.progress(update);
      },
      ...(options.progressIntervalMs ? { heartbeatMs: options.progressIntervalMs } : {}),
    });
    try {
      const result: RunResult = await options.callAgent({
        agent: call.agent,
        prompt: call.prompt,
        ...(resume ? { resume } : {}),
        principal: spec.principal,
        // 2026 has no sampling or roots for us (docs/protocol.md): the run uses the server's model and workspaces.
        caller: { ...(spec.caller.asks === 'input_required' ? { asks: 'input_required' as const, askUser } : {}), tasks: spec.caller.tasks },
        chain: call.chain,
        signal,
        ...(checkpoints ? { checkpoints } : {}),
        onEvent: (event) => {
          if (event.type === 'started') sink()?.log('info', { event: 'run started', run_id: event.runId, agent: event.agent, model: event.model });
          reporter.onEvent(event);
        },
      });
      sink()?.log(result.stopReason === 'error' ? 'error' : 'info', { event: 'run ended', run_id: result.runId, agent: result.agent, ...summarizeRun(result) });
      return toCallToolResult(result);
    } finally {
      reporter.close();
    }
  };
}
