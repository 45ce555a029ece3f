/**
 * TodoWrite: the run's todo list, Claude Code's schema. Each call replaces the whole list; the list
 * lives as long as the run, comes back in the tool result, and is reported through `ctx.notify`
 * (`{ type: 'todos', runId, todos }`) so progress messages and transcripts can show it.
 */
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { RunScopeKey } from '../run-scope.js';
import { requireScope } from '../run-scope.js';
import type { TodoItem, LocalTool } from '../tool.js';
import { textResult } from '../tool.js';

/** Most items a todo list may hold. */
export const MAX_TODOS = 100;

const todoSchema = z.object({
  content: z.string().min(1).max(2000),
  status: z.enum(['pending', 'in_progress', 'completed']),
  activeForm: z.string().min(1).max(2000),
});

const todoWriteInputSchema = z.object({
  todos: z.array(todoSchema).max(MAX_TODOS).describe('The updated todo list'),
});

/** The run's current todo list. */
export const TODO_LIST: RunScopeKey<{ todos: TodoItem[] }> = { name: 'todo list', create: () => ({ todos: [] }) };

const DESCRIPTION = `Use this tool to create and manage a structured task list for the current task. It helps you track progress on complex, multi-step work and shows the caller what you are doing.
- Send the whole list each time; it replaces the previous one.
- Each item has content (imperative: "Run tests"), activeForm (present continuous: "Running tests") and a status: pending, in_progress or completed.
- Keep exactly one item in_progress while working; mark items completed as soon as they are done.
- Skip it for simple tasks of one or two steps.`;

const MARK: Record<TodoItem['status'], string> = { pending: '[ ]', in_progress: '[~]', completed: '[x]' };

/** The list as the model reads it back. */
export function formatTodos(todos: readonly TodoItem[]): string {
  if (todos.length === 0) return 'The todo list is now empty.';
  const lines = todos.map((t) => `${MARK[t.status]} ${t.content}`);
  return `Todos have been modified successfully. Current list:\n${lines.join('\n')}`;
}

/** Create the TodoWrite tool. */
export function createTodoWriteTool(): LocalTool {
  return defineTool({
    name: 'TodoWrite',
    description: DESCRIPTION,
    schema: todoWriteInputSchema,
    // It changes only the run's own list, so it is offered in every mode, plan included.
    kind: 'note',
    async execute(input, ctx) {
      const inProgress = input.todos.filter((t) => t.status === 'in_progress').length;
      if (inProgress > 1) {
        return textResult(`TodoWrite: ${inProgress} items are in_progress; keep exactly one in progress at a time.`, true);
      }
      const list = requireScope(ctx, 'TodoWrite').get(TODO_LIST);
      list.todos = input.todos.map((t) => ({ ...t }));
      ctx.notify?.({ type: 'todos', runId: ctx.runId, todos: list.todos.map((t) => ({ ...t })) });
      return textResult(formatTodos(list.todos));
    },
  });
}
