import { describe, expect, it } from 'vitest';
import { createTestToolContext, resultText } from '../../../test/helpers/tool-context.js';
import { createTodoWriteTool, TODO_LIST } from './todo-write.js';

const todoWrite = createTodoWriteTool();

describe('TodoWrite', () => {
  it('replaces the run list, returns it and notifies', async () => {
    const t = createTestToolContext(['/tmp']);
    await todoWrite.run({ todos: [{ content: 'A', status: 'pending', activeForm: 'Doing A' }] }, t.ctx);
    const result = await todoWrite.run(
      { todos: [{ content: 'A', status: 'completed', activeForm: 'Doing A' }, { content: 'B', status: 'in_progress', activeForm: 'Doing B' }] },
      t.ctx,
    );
    expect(resultText(result)).toBe('Todos have been modified successfully. Current list:\n[x] A\n[~] B');
    expect(t.scope.get(TODO_LIST).todos.map((x) => x.status)).toEqual(['completed', 'in_progress']);
    expect(t.notices).toHaveLength(2);
    expect(t.notices[1]).toEqual({ type: 'todos', runId: 'test-run', todos: t.scope.get(TODO_LIST).todos });
    await t.end();
  });

  it('refuses two items in progress and bad statuses, keeping the old list', async () => {
    const t = createTestToolContext(['/tmp']);
    await todoWrite.run({ todos: [{ content: 'A', status: 'pending', activeForm: 'Doing A' }] }, t.ctx);
    const two = await todoWrite.run(
      { todos: [{ content: 'A', status: 'in_progress', activeForm: 'a' }, { content: 'B', status: 'in_progress', activeForm: 'b' }] },
      t.ctx,
    );
    expect(resultText(two)).toBe('TodoWrite: 2 items are in_progress; keep exactly one in progress at a time.');
    const bad = await todoWrite.run({ todos: [{ content: 'A', status: 'done', activeForm: 'a' }] }, t.ctx);
    expect(resultText(bad)).toBe('TodoWrite: todos.0.status: expected one of "pending", "in_progress", "completed", got "done"');
    expect(t.scope.get(TODO_LIST).todos).toEqual([{ content: 'A', status: 'pending', activeForm: 'Doing A' }]);
    await t.end();
  });
});
