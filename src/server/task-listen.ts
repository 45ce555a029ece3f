/**
 * Task subscriptions of the tasks extension (SEP-2663): a `subscriptions/listen` whose filter names
 * `taskIds` gets `notifications/tasks` (the full task, as tasks/get shows it) on each status change
 * of those tasks. The SDK v2 (2.4.0) serves subscriptions/listen itself and knows only list and
 * resource changes, so such a request is taken before the SDK sees it and served here, list-change
 * fields of the same filter included: over stdio by a transport wrapper, over HTTP by
 * {@link serveTaskListenOverHttp}. A caller that did not declare the extension gets -32021; another
 * principal's task id is treated as unknown (left out of the acknowledgement).
 */
import type { ServerResponse } from 'node:http';
import { CLIENT_CAPABILITIES_META_KEY, SUBSCRIPTION_ID_META_KEY, type JSONRPCMessage, type Transport } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { LiveRuns } from './live-runs.js';
import { TASKS_EXTENSION, toDetailedTask } from './modern-tasks.js';

const LIST_FIELDS = ['toolsListChanged', 'resourcesListChanged', 'promptsListChanged'] as const;
const LIST_NOTIFICATION: Record<(typeof LIST_FIELDS)[number], string> = {
  toolsListChanged: 'notifications/tools/list_changed',
  resourcesListChanged: 'notifications/resources/list_changed',
  promptsListChanged: 'notifications/prompts/list_changed',
};

const TaskListenMessage = z.object({
  jsonrpc: z.literal('2.0'),
  id: z.union([z.string(), z.number()]),
  method: z.literal('subscriptions/listen'),
  params: z.object({
    notifications: z.object({
      taskIds: z.array(z.string()).min(1),
      toolsListChanged: z.boolean().optional(),
      resourcesListChanged: z.boolean().optional(),
      promptsListChanged: z.boolean().optional(),
    }),
    _meta: z.record(z.string(), z.unknown()).optional(),
  }),
});

const DeclaresTasks = z.object({ extensions: z.object({ [TASKS_EXTENSION]: z.unknown() }) });

/** A subscriptions/listen request that asks for task notifications. */
export interface TaskListenRequest {
  id: string | number;
  taskIds: string[];
  /** The list-change fields the filter asked for. */
  lists: Array<(typeof LIST_FIELDS)[number]>;
  declaresTasks: boolean;
}

/** The request, when `message` is a subscriptions/listen naming task ids; otherwise undefined (the SDK serves it). */
export function readTaskListen(message: unknown): TaskListenRequest | undefined {
  const parsed = TaskListenMessage.safeParse(message);
  if (!parsed.success) return undefined;
  const { id, params } = parsed.data;
  const declared = DeclaresTasks.safeParse(params._meta?.[CLIENT_CAPABILITIES_META_KEY]);
  return {
    id,
    taskIds: [...new Set(params.notifications.taskIds)],
    lists: LIST_FIELDS.filter((field) => params.notifications[field] === true),
    declaresTasks: declared.success && declared.data.extensions[TASKS_EXTENSION] !== undefined,
  };
}

export interface TaskListenOptions {
  live: LiveRuns;
  principal: string;
  /** Hear catalog changes until the returned function detaches (the hub's attach). */
  onListChanged: (listener: () => void) => () => void;
}

/** One open subscription: `close` stops it, and with `graceful` sends the empty result that ends it (spec's server-side close). */
interface OpenListen {
  close(graceful: boolean): void;
}

/** Serve `request` through `send`: the -32021 refusal, or the acknowledgement and then the notifications. */
function openTaskListen(request: TaskListenRequest, options: TaskListenOptions, send: (message: JSONRPCMessage) => void): OpenListen | undefined {
  const { id } = request;
  if (!request.declaresTasks) {
    send({
      jsonrpc: '2.0',
      id,
      error: {
        code: -32021,
        message: `Missing required client capability: declare the ${TASKS_EXTENSION} extension in this request's client capabilities to hear task notifications.`,
        data: { requiredCapabilities: { extensions: { [TASKS_EXTENSION]: {} } } },
      },
    });
    return undefined;
  }
  const stamp = (params: Record<string, unknown>): Record<string, unknown> => ({ ...params, _meta: { [SUBSCRIPTION_ID_META_KEY]: id } });
  const detachers: Array<() => void> = [];
  let closed = false;
  const sendTask = async (taskId: string): Promise<void> => {
    const view = await options.live.get(taskId, options.principal).catch(() => undefined);
    if (view && !closed) send({ jsonrpc: '2.0', method: 'notifications/tasks', params: stamp(toDetailedTask(view)) });
  };
  void (async () => {
    // Another principal's task, or an expired one, is unknown: it is simply not acknowledged.
    const owned: string[] = [];
    for (const taskId of request.taskIds) if ((await options.live.get(taskId, options.principal).catch(() => undefined)) !== undefined) owned.push(taskId);
    if (closed) return;
    const honored: Record<string, unknown> = Object.fromEntries(request.lists.map((field) => [field, true]));
    honored['taskIds'] = owned;
    send({ jsonrpc: '2.0', method: 'notifications/subscriptions/acknowledged', params: stamp({ notifications: honored }) });
    for (const taskId of owned) {
      // A store that fails just now (Redis dropped) must not crash the process: the state now is still sent.
      const detach = await options.live.watch(taskId, options.principal, () => void sendTask(taskId)).catch(() => undefined);
      if (closed) detach?.();
      else if (detach) detachers.push(detach);
      // The state now, so a change between the task's creation and this subscription is not missed.
      await sendTask(taskId);
    }
    if (request.lists.length > 0 && !closed) {
      detachers.push(options.onListChanged(() => {
        for (const field of request.lists) send({ jsonrpc: '2.0', method: LIST_NOTIFICATION[field], params: stamp({}) });
      }));
    }
  })();
  return {
    close(graceful) {
      closed = true;
      for (const detach of detachers.splice(0)) detach();
      if (graceful) send({ jsonrpc: '2.0', id, result: { resultType: 'complete', _meta: { [SUBSCRIPTION_ID_META_KEY]: id } } });
    },
  };
}

const CancelledMessage = z.object({ method: z.literal('notifications/cancelled'), params: z.object({ requestId: z.union([z.string(), z.number()]) }) });

/**
 * Wrap the stdio transport given to the SDK's serveStdio: task subscriptions are served here,
 * everything else passes through. `notifications/cancelled` for a subscription ends it (and still
 * reaches the SDK, which ignores an id it does not know).
 */
export function withTaskListen(inner: Transport, options: TaskListenOptions): Transport {
  const open = new Map<string | number, OpenListen>();
  const send = (message: JSONRPCMessage): void => void inner.send(message).catch(() => undefined);
  const wrapper: Transport = {
    start: () => inner.start(),
    send: (message, sendOptions) => inner.send(message, sendOptions),
    async close() {
      for (const listen of open.values()) listen.close(true);
      open.clear();
      await inner.close();
    },
  };
  inner.onmessage = (message, extra) => {
    const request = readTaskListen(message);
    if (request) {
      const listen = openTaskListen(request, options, send);
      if (listen) open.set(request.id, listen);
      return;
    }
    const cancelled = CancelledMessage.safeParse(message);
    if (cancelled.success) {
      open.get(cancelled.data.params.requestId)?.close(false);
      open.delete(cancelled.data.params.requestId);
    }
    wrapper.onmessage?.(message, extra);
  };
  inner.onclose = () => {
    for (const listen of open.values()) listen.close(false);
    open.clear();
    wrapper.onclose?.();
  };
  inner.onerror = (error) => wrapper.onerror?.(error);
  return wrapper;
}

/** Open task subscriptions over HTTP, each on its own event stream; `closeAll` ends them at shutdown. */
export interface HttpTaskListens {
  /** Serve `body` if it is a task subscription (true), else leave it to the SDK (false). */
  serve(body: unknown, principal: string, res: ServerResponse): boolean;
  closeAll(): void;
}

export function createHttpTaskListens(options: Omit<TaskListenOptions, 'principal'>): HttpTaskListens {
  const open = new Set<() => void>();
  return {
    serve(body, principal, res) {
      const request = readTaskListen(body);
      if (!request) return false;
      if (!request.declaresTasks) {
        openTaskListen(request, { ...options, principal }, (message) => {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(message));
        });
        return true;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      res.flushHeaders();
      const listen = openTaskListen(request, { ...options, principal }, (message) => {
        if (!res.writableEnded) res.write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
      });
      const end = (): void => {
        listen?.close(true);
        res.end();
      };
      open.add(end);
      // The caller closing its stream ends the subscription.
      res.once('close', () => {
        open.delete(end);
        listen?.close(false);
      });
      return true;
    },
    closeAll() {
      for (const end of [...open]) end();
      open.clear();
    },
  };
}
