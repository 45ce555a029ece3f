/**
 * 2025 tasks belong to the principal whose call created them: the store another principal's
 * server reads sees none of them (without sessions, --stateless, the SDK's own per-session scoping
 * does not apply).
 */
import { describe, expect, it } from 'vitest';
import type { Request } from '@modelcontextprotocol/sdk/types.js';
import { createAgentTasks } from './agent-tasks.js';

const CALL: Request = { method: 'tools/call', params: { name: 'helper', arguments: { prompt: 'hi' } } };

describe('2025 tasks and principals', () => {
  it('shows a task only to its principal: get, result, list and cancel answer another as for an unknown id', async () => {
    const tasks = createAgentTasks();
    try {
      const alice = tasks.storeFor('alice');
      const bob = tasks.storeFor('bob');
      const task = await alice.createTask({ ttl: 60_000 }, 1, CALL);
      await alice.storeTaskResult(task.taskId, 'completed', { content: [{ type: 'text', text: 'for alice' }] });

      expect((await alice.getTask(task.taskId))?.status).toBe('completed');
      expect(await alice.getTaskResult(task.taskId)).toMatchObject({ content: [{ type: 'text', text: 'for alice' }] });
      expect((await alice.listTasks()).tasks.map((t) => t.taskId)).toEqual([task.taskId]);

      expect(await bob.getTask(task.taskId)).toBeNull();
      expect(await bob.getTask('no-such-task')).toBeNull();
      await expect(bob.getTaskResult(task.taskId)).rejects.toThrow(`Task not found: ${task.taskId}`);
      await expect(bob.updateTaskStatus(task.taskId, 'cancelled')).rejects.toThrow(`Task not found: ${task.taskId}`);
      expect((await bob.listTasks()).tasks).toEqual([]);
      expect((await alice.getTask(task.taskId))?.status).toBe('completed');
    } finally {
      tasks.close();
    }
  });
});
