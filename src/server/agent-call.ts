/**
 * One tools/call of an agent tool, once its input is valid: resume check, progress, log
 * summaries, then either the blocking call or, when the client asked for a task, a task that
 * runs in the background. Every failure ends in an isError result that says what to do.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { RequestHandlerExtra } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, CreateTaskResult, ServerNotification, ServerRequest } from '@modelcontextprotocol/sdk/types.js';
import type { AgentDefinition } from '../agents/definition.js';
import type { RunResult } from '../run/loop.js';
import type { ModelMessage } from '../run/model.js';
import type { CallEvent, Runner } from '../run/runner.js';
import type { SamplingAccess } from '../run/sampling.js';
import type { ChainLink } from '../tools/chain.js';
import type { ClientRoots } from '../tools/client-roots.js';
import type { AskUser } from '../tools/permission.js';
import type { AgentTasks } from './agent-tasks.js';
import { createProgressReporter, type ProgressUpdate } from './progress.js';
import { notifyRunEnded, notifyRunStarted } from './run-log.js';
import { toCallToolResult } from './tool-result.js';

/** What a call may carry besides agent, prompt and signal. */
export interface AgentCallOptions {
  onEvent?: (event: CallEvent) => void;
  /** The earlier run this call continues, as the runner checked it. */
  resume?: { runId: string; history: ModelMessage[] };
  /** The client's sampling, when it declared the capability (for `--model-backend`). */
  sampling?: SamplingAccess;
  /** The delegation chain the request carried in `_meta`. */
  chain?: readonly ChainLink[];
  /** Asks the client's user for approval; absent when the client cannot elicit. */
  askUser?: AskUser | undefined;
  /** The client's MCP roots, which confine the run further. */
  clientRoots?: ClientRoots | undefined;
}

export interface AgentCallDeps {
  server: Server;
  callAgent: (agent: AgentDefinition, prompt: string, signal: AbortSignal, options?: AgentCallOptions) => Promise<RunResult>;
  /** Kept runs, for `resume`; without it `resume` is refused. */
  runs?: Pick<Runner, 'prepareResume'>;
  /** Task support; without it task requests are not accepted (the SDK refuses them). */
  tasks?: AgentTasks;
  /** Most milliseconds between progress notifications while a run is busy. */
  progressIntervalMs?: number;
}

export interface AgentCallInput {
  agent: AgentDefinition;
  prompt: string;
  resume?: string;
  /** What the calling session offers: its sampling, the chain it sent. */
  context?: Pick<AgentCallOptions, 'sampling' | 'chain' | 'askUser' | 'clientRoots'>;
}

type Extra = RequestHandlerExtra<ServerRequest, ServerNotification>;

function refused(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
}

/** Run an agent call for the MCP client; a task request gets a CreateTaskResult at once. */
export async function runAgentCall(deps: AgentCallDeps, input: AgentCallInput, extra: Extra, asTask: boolean): Promise<CallToolResult | CreateTaskResult> {
  let resume: AgentCallOptions['resume'];
  if (input.resume) {
    if (!deps.runs) return refused('This server keeps no runs, so `resume` is not available; send the whole task in `prompt`.');
    const check = await deps.runs.prepareResume(input.resume, input.agent.name);
    if (!check.ok) return refused(`Cannot resume: ${check.problem}`);
    resume = { runId: check.runId, history: check.history };
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
      const result = await deps.callAgent(input.agent, input.prompt, signal, { ...input.context, onEvent, ...(resume ? { resume } : {}) });
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
