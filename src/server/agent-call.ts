/**
 * One tools/call of an agent tool, once its input is valid: resume check, progress, log
 * summaries, then either the blocking call or, when the client asked for a task, a task that
 * runs in the background. Every failure ends in an isError result that says what to do.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, CreateTaskResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { RunResult } from '../run/result.js';
import { LOCAL_PRINCIPAL, type CallContext, type CallEvent } from '../run/call-context.js';
import type { Runner } from '../run/runner.js';
import type { AgentTasks } from './agent-tasks.js';
import { checkResume } from './agent-request.js';
import { createProgressReporter, type ProgressUpdate } from './progress.js';
import { notifyRunEnded, notifyRunStarted } from './run-log.js';
import { refusedCall, toCallToolResult } from './tool-result.js';

export interface AgentCallDeps {
  server: Server;
  callAgent: (ctx: CallContext) => Promise<RunResult>;
  /** Kept runs, for `resume`; without it `resume` is refused. */
  runs?: Pick<Runner, 'prepareResume'>;
  /** Task support; without it task requests are not accepted (the SDK refuses them). */
  tasks?: AgentTasks;
  /** Most milliseconds between progress notifications while a run is busy. */
  progressIntervalMs?: number;
}

export interface AgentCallInput {
  /** The call as the request put it; the signal, progress sink and resume are added here. */
  context: Omit<CallContext, 'signal' | 'onEvent' | 'resume'>;
  /** The run_id the caller asked to continue. */
  resume?: string;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;


/** Run an agent call for the MCP client; a task request gets a CreateTaskResult at once. */
export async function runAgentCall(deps: AgentCallDeps, input: AgentCallInput, extra: Extra, asTask: boolean): Promise<CallToolResult | CreateTaskResult> {
  let resume: CallContext['resume'];
  if (input.resume) {
    const check = await checkResume(deps.runs, input.resume, input.context.agent.name, input.context.principal ?? LOCAL_PRINCIPAL);
    if (!check.ok) return refusedCall(check.refusal);
    resume = check.resume;
  }

  const progressToken = extra._meta?.progressToken;
  const sendProgress = (update: ProgressUpdate): void => {
    if (progressToken === undefined) return;
    void extra
      .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: update.progress, message: update.message } })
      .catch(() => undefined);
  };
  // Without a listener (no progress token, no task) there is nothing to report, and no timer runs.
  const execute = async (signal: AbortSignal, onUpdate?: (update: ProgressUpdate) => void): Promise<CallToolResult> => {
    const reporter = onUpdate
      ? createProgressReporter({ send: onUpdate, ...(deps.progressIntervalMs ? { heartbeatMs: deps.progressIntervalMs } : {}) })
      : undefined;
    const onEvent = (event: CallEvent): void => {
      if (event.type === 'started') notifyRunStarted(deps.server, event, extra.sessionId);
      reporter?.onEvent(event);
    };
    try {
      const result = await deps.callAgent({ ...input.context, signal, onEvent, ...(resume ? { resume } : {}) });
      notifyRunEnded(deps.server, result, extra.sessionId);
      return toCallToolResult(result);
    } finally {
      reporter?.close();
    }
  };

  if (asTask && deps.tasks && extra.taskStore) {
    return deps.tasks.start({
      taskStore: extra.taskStore,
      ...(extra.taskRequestedTtl !== undefined ? { requestedTtlMs: extra.taskRequestedTtl } : {}),
      run: (signal, setStatus) =>
        execute(signal, (update) => {
          sendProgress(update);
          setStatus(update.message);
        }),
    });
  }
  return execute(extra.signal, progressToken === undefined ? undefined : sendProgress);
}
