/**
 * One short line per step of a run, for progress notifications: what the sub-agent is doing
 * now, in words a person watching a client's spinner can follow.
 */
import type { CallEvent } from '../run/call-context.js';
import { summarizeToolCall } from '../run/tool-input-summary.js';

/**
 * The progress line for a step, or undefined for streamed text (whose line depends on how much
 * has been written, see {@link writingLine}).
 */
export function describeStep(event: CallEvent): string | undefined {
  switch (event.type) {
    case 'queued':
      return `queued (position ${event.position})`;
    case 'started':
      return `${event.agent} started on ${event.model}`;
    case 'turn_start':
      return `turn ${event.turn}: waiting for the model`;
    case 'tool_start':
      return summarizeToolCall(event.name, event.input, event.workspace);
    case 'tool_end':
      return `${event.name} ${event.isError ? 'failed' : 'done'}`;
    case 'tool_progress':
      return `${event.name}: ${event.message ?? `${event.progress}${event.total ? `/${event.total}` : ''}`}`;
    case 'todos':
      return describeTodos(event.todos);
    case 'text':
      return undefined;
  }
}

/** The run's todo list (TodoWrite) in one line: how far along, and what is being done now. */
export function describeTodos(todos: ReadonlyArray<{ status: string; content: string; activeForm: string }>): string {
  const done = todos.filter((t) => t.status === 'completed').length;
  const current = todos.find((t) => t.status === 'in_progress');
  return `todos ${done}/${todos.length} done${current ? ` — ${current.activeForm || current.content}` : ''}`;
}

/** The progress line while the model writes. */
export function writingLine(turn: number, chars: number): string {
  return `turn ${turn}: writing (${chars} characters)`;
}
