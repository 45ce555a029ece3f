/**
 * The `io.modelcontextprotocol/tasks` extension (SEP-2663) for 2026-era callers that declare it:
 * an agent call answers at once with a task (`resultType: "task"`), and the caller polls
 * `tasks/get`, answers approval questions with `tasks/update` and stops the run with
 * `tasks/cancel`. The SDK has no helper for it, so the methods are registered here with their
 * own schemas. A task is its run in {@link LiveRuns}, and belongs to the principal that started it.
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  MissingRequiredClientCapabilityError,
  ProtocolError,
  ProtocolErrorCode,
  type Server,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { DEFAULT_TASK_POLL_INTERVAL_MS } from './agent-tasks.js';
import { LIVE_RUN_TTL_MS, type LiveRuns, type LiveRunView } from './live-runs.js';

/** The extension's identifier, in `capabilities.extensions` both ways. */
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

const TaskParams = z.object({ taskId: z.string().min(1), _meta: z.record(z.string(), z.unknown()).optional() });

/** The fields every task shape shares. */
function taskFields(view: LiveRunView): Record<string, unknown> {
  return {
    taskId: view.id,
    status: view.status,
    ...(view.statusMessage ? { statusMessage: view.statusMessage } : {}),
    createdAt: view.createdAt,
    lastUpdatedAt: view.lastUpdatedAt,
    ttlMs: LIVE_RUN_TTL_MS,
    pollIntervalMs: DEFAULT_TASK_POLL_INTERVAL_MS,
  };
}

/** The tools/call answer that hands the caller a task. */
export function toCreateTaskResult(view: LiveRunView): Record<string, unknown> {
  return { resultType: 'task', ...taskFields(view) };
}

/** A task as tasks/get shows it: its open questions, or its result once completed. */
export function toDetailedTask(view: LiveRunView): Record<string, unknown> {
  const fields = taskFields(view);
  if (view.status === 'input_required') {
    return { ...fields, inputRequests: Object.fromEntries([...view.questions].map(([key, form]) => [key, inputRequired.elicit(form)])) };
  }
  if (view.status === 'completed' && view.result) return { ...fields, result: view.result };
  if (view.status === 'failed') return { ...fields, error: { code: ProtocolErrorCode.InternalError, message: view.statusMessage ?? 'The run failed.' } };
  return fields;
}

function unknownTask(taskId: string): ProtocolError {
  return new ProtocolError(ProtocolErrorCode.InvalidParams, `Unknown task: ${taskId}. It expired, belongs to another caller, or the server restarted.`);
}

const DeclaresTasks = z.object({ extensions: z.object({ [TASKS_EXTENSION]: z.unknown() }) });

/** True when this request's envelope declares the tasks extension. */
export function declaresTasks(ctx: ServerContext): boolean {
  const envelope: Record<string, unknown> = ctx.mcpReq.envelope ?? {};
  const parsed = DeclaresTasks.safeParse(envelope[CLIENT_CAPABILITIES_META_KEY]);
  return parsed.success && parsed.data.extensions[TASKS_EXTENSION] !== undefined;
}

/** The tasks methods answer only callers that declare the extension on the request (SEP-2663: -32021). */
function requireTasks(ctx: ServerContext): void {
  if (!declaresTasks(ctx)) throw new MissingRequiredClientCapabilityError({ requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } }, `Declare the ${TASKS_EXTENSION} extension in this request's client capabilities to use tasks.`);
}

/** Serve tasks/get, tasks/update and tasks/cancel on `server`. */
export function registerTaskMethods(server: Server, options: { live: LiveRuns; principal: (ctx: ServerContext) => string }): void {
  const { live, principal } = options;
  server.setRequestHandler('tasks/get', { params: TaskParams }, async (params, ctx) => {
    requireTasks(ctx);
    const view = await live.get(params.taskId, principal(ctx));
    if (!view) throw unknownTask(params.taskId);
    return toDetailedTask(view);
  });
  server.setRequestHandler('tasks/update', { params: TaskParams }, async (params, ctx) => {
    requireTasks(ctx);
    // The SDK lifts inputResponses out of the params into the context.
    if (!(await live.answer(params.taskId, principal(ctx), ctx.mcpReq.inputResponses ?? {}))) throw unknownTask(params.taskId);
    return {};
  });
  server.setRequestHandler('tasks/cancel', { params: TaskParams }, async (params, ctx) => {
    requireTasks(ctx);
    const view = await live.cancel(params.taskId, principal(ctx), 'The caller cancelled the task.');
    if (!view) throw unknownTask(params.taskId);
    return {};
  });
}
