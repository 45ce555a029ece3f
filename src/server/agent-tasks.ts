/**
 * Agent calls as MCP tasks (spec 2025-11-25, the SDK's experimental support): a client that
 * asks for a task gets its id at once, and polls `tasks/get` or waits on `tasks/result`;
 * `tasks/cancel` stops the run. The SDK serves tasks/* from a TaskStore; ours wraps any store
 * (in memory by default, a shared one later) to stop the run of a cancelled task, and to keep
 * the cancelled run's result, which a store refuses once the task is `cancelled`.
 */
import { InMemoryTaskStore, type TaskStore } from '@modelcontextprotocol/sdk/experimental/tasks';
import type { RequestTaskStore } from '@modelcontextprotocol/sdk/shared/protocol.js';
import type { CallToolResult, CreateTaskResult, Result } from '@modelcontextprotocol/sdk/types.js';

/** How long a task and its result are kept after the last change, unless the client asks for less. */
export const DEFAULT_TASK_TTL_MS = 60 * 60 * 1000;
/** How often a client should poll tasks/get. */
export const DEFAULT_TASK_POLL_INTERVAL_MS = 500;
/** Results of cancelled runs kept for tasks/result. */
const MAX_CANCELLED_RESULTS = 100;

/** The task side of the server. */
export interface AgentTasks {
  /**
   * The store a server of `principal` answers tasks/get, tasks/result, tasks/list and
   * tasks/cancel from: it sees only that principal's tasks. (The SDK scopes tasks by session;
   * without sessions, `--stateless`, that alone would let anyone poll any task id.)
   */
  storeFor(principal: string): TaskStore;
  /**
   * Create a task for one call and start `run` in the background; resolves as soon as the task
   * exists. `run` gets a signal that `tasks/cancel` (or {@link AgentTasks.close}) aborts, and a
   * function to publish a status line on the task.
   */
  start(options: {
    taskStore: RequestTaskStore;
    requestedTtlMs?: number;
    run: (signal: AbortSignal, setStatus: (message: string) => void) => Promise<CallToolResult>;
  }): Promise<CreateTaskResult>;
  /** Abort every running task and drop the store's timers (at shutdown). */
  close(): void;
}

/** A store that can drop its timers at shutdown, such as the SDK's InMemoryTaskStore. */
type ClosableTaskStore = TaskStore & { cleanup?: () => void };

/** Create the task side over `inner` (default: the SDK's in-memory store). */
export function createAgentTasks(options: { inner?: ClosableTaskStore; pollIntervalMs?: number } = {}): AgentTasks {
  const inner = options.inner ?? new InMemoryTaskStore();
  const pollInterval = options.pollIntervalMs ?? DEFAULT_TASK_POLL_INTERVAL_MS;
  const running = new Map<string, AbortController>();
  const cancelledResults = new Map<string, Promise<CallToolResult>>();
  const pending = new Map<string, Promise<CallToolResult>>();

  /** Task id → the principal whose call created it. */
  const owners = new Map<string, string>();
  const store: TaskStore = {
    createTask: (params, requestId, request, sessionId) => inner.createTask(params, requestId, request, sessionId),
    getTask: (taskId, sessionId) => inner.getTask(taskId, sessionId),
    storeTaskResult: (taskId, status, result, sessionId) => inner.storeTaskResult(taskId, status, result, sessionId),
    listTasks: (cursor, sessionId) => inner.listTasks(cursor, sessionId),
    async getTaskResult(taskId, sessionId): Promise<Result> {
      const late = cancelledResults.get(taskId);
      if (late && (await inner.getTask(taskId, sessionId))?.status === 'cancelled') return late;
      return inner.getTaskResult(taskId, sessionId);
    },
    async updateTaskStatus(taskId, status, statusMessage, sessionId) {
      await inner.updateTaskStatus(taskId, status, statusMessage, sessionId);
      if (status !== 'cancelled') return;
      const result = pending.get(taskId);
      if (result) {
        cancelledResults.set(taskId, result);
        for (const id of cancelledResults.keys()) {
          if (cancelledResults.size <= MAX_CANCELLED_RESULTS) break;
          cancelledResults.delete(id);
        }
      }
      running.get(taskId)?.abort(new Error('The task was cancelled.'));
    },
  };

  /** `store` as `principal` sees it: another principal's task is "not found", exactly as an unknown id. */
  const storeFor = (principal: string): TaskStore => {
    const owned = (taskId: string): boolean => owners.get(taskId) === principal;
    const notFound = (taskId: string): Error => new Error(`Task not found: ${taskId}`);
    return {
      async createTask(params, requestId, request, sessionId) {
        const task = await store.createTask(params, requestId, request, sessionId);
        owners.set(task.taskId, principal);
        return task;
      },
      getTask: async (taskId, sessionId) => (owned(taskId) ? store.getTask(taskId, sessionId) : null),
      storeTaskResult: (taskId, status, result, sessionId) => (owned(taskId) ? store.storeTaskResult(taskId, status, result, sessionId) : Promise.reject(notFound(taskId))),
      getTaskResult: (taskId, sessionId) => (owned(taskId) ? store.getTaskResult(taskId, sessionId) : Promise.reject(notFound(taskId))),
      updateTaskStatus: (taskId, status, statusMessage, sessionId) => (owned(taskId) ? store.updateTaskStatus(taskId, status, statusMessage, sessionId) : Promise.reject(notFound(taskId))),
      async listTasks(cursor, sessionId) {
        const page = await store.listTasks(cursor, sessionId);
        return { ...page, tasks: page.tasks.filter((t) => owned(t.taskId)) };
      },
    };
  };

  return {
    storeFor,
    async start({ taskStore, requestedTtlMs, run }) {
      const ttl = Math.min(requestedTtlMs ?? DEFAULT_TASK_TTL_MS, DEFAULT_TASK_TTL_MS);
      const task = await taskStore.createTask({ ttl, pollInterval });
      const controller = new AbortController();
      running.set(task.taskId, controller);
      const setStatus = (message: string): void => {
        // Fails once the task has ended or was cancelled: nothing to tell then.
        taskStore.updateTaskStatus(task.taskId, 'working', message).catch(() => undefined);
      };
      const result = run(controller.signal, setStatus);
      pending.set(task.taskId, result);
      void result
        .then((r) => taskStore.storeTaskResult(task.taskId, r.isError ? 'failed' : 'completed', r))
        // A cancelled task takes no result; its run's result is kept in cancelledResults.
        .catch(() => undefined)
        .finally(() => {
          running.delete(task.taskId);
          pending.delete(task.taskId);
          // The store keeps the finished task for its TTL; its owner is kept as long.
          setTimeout(() => owners.delete(task.taskId), ttl).unref();
        });
      return { task };
    },
    close() {
      for (const controller of running.values()) controller.abort(new Error('The server is shutting down.'));
      inner.cleanup?.();
    },
  };
}
