/**
 * Continuing a stored conversation with a follow-up prompt. A run may have stopped anywhere
 * (cancelled mid-tool, at a limit, after its answer, refused); the Messages API only takes
 * histories that answer every tool_use, and only takes signed thinking blocks back under the
 * system prompt and tools they were produced under. So a resumed run is sent with its stored
 * prefix, or without its old thinking blocks when it has none it may use.
 * @see https://platform.claude.com/docs/en/build-with-claude/extended-thinking
 */
import type { ContentBlock, ModelMessage, RequestPrefix, ServerToolSpec, ToolResultBlock, ToolUseBlock } from './model.js';

const NOT_RUN = 'Not run: the previous run stopped before this tool call was carried out.';

/** `history` followed by `prompt` as the next user input, as a valid Messages API history. */
export function continueConversation(history: readonly ModelMessage[], prompt: string): ModelMessage[] {
  const promptBlock: ContentBlock = { type: 'text', text: prompt };
  const last = history.at(-1);
  if (!last) return [{ role: 'user', content: [promptBlock] }];
  const earlier = history.slice(0, -1);
  if (last.role === 'user') return [...earlier, { role: 'user', content: [...last.content, promptBlock] }];
  const unanswered = last.content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
  const results: ToolResultBlock[] = unanswered.map((call) => ({
    type: 'tool_result',
    tool_use_id: call.id,
    content: [{ type: 'text', text: NOT_RUN }],
    is_error: true,
  }));
  return [...history, { role: 'user', content: [...results, promptBlock] }];
}

/** What a stored run offers to continue from. */
export interface StoredRun {
  messages: readonly ModelMessage[];
  /** The system prompt and tools it was sent with; absent for runs stored before they were kept. */
  prefix?: RequestPrefix;
  /** How it ended (`refusal`, `end_turn`, …). */
  stopReason?: string;
}

/** The history and prefix a resumed run is sent with, and what the caller should be told. */
export interface ResumePlan {
  history: ModelMessage[];
  /** The stored prefix, when the resumed run may use it; absent = build today's. */
  prefix?: RequestPrefix;
  warnings: string[];
}

const THINKING_TYPES: ReadonlySet<string> = new Set(['thinking', 'redacted_thinking']);

/** `history` without thinking blocks; an assistant turn left empty says so in text. */
export function withoutThinking(history: readonly ModelMessage[]): { history: ModelMessage[]; dropped: number } {
  let dropped = 0;
  const out = history.map((m) => {
    if (m.role !== 'assistant') return m;
    const kept = m.content.filter((b) => !THINKING_TYPES.has(b.type));
    dropped += m.content.length - kept.length;
    return { ...m, content: kept.length > 0 ? kept : [{ type: 'text', text: '(thinking omitted)' }] };
  });
  return { history: out, dropped };
}

/**
 * How to continue `stored`. A refused last turn is removed (the API docs: keeping it invites
 * further refusals). The stored prefix is kept when every server tool it offers is, definition
 * and all, one the agent may use now: server tools run on the API's side, so offering a
 * withdrawn or widened one (a record in --runs-dir can be edited) would grant it. Otherwise, or
 * without a stored prefix, the run continues under today's prefix and its old thinking blocks
 * are dropped, since the API would reject them.
 */
export function planResume(stored: StoredRun, permittedServerTools: readonly ServerToolSpec[]): ResumePlan {
  const warnings: string[] = [];
  let history = [...stored.messages];
  if (stored.stopReason === 'refusal' && history.at(-1)?.role === 'assistant') {
    history = history.slice(0, -1);
    warnings.push('The run being resumed ended in a refusal; its refused turn was removed before resuming, as the API asks (keeping it invites further refusals).');
  }
  const permitted = new Set(permittedServerTools.map((t) => JSON.stringify(t)));
  const withdrawn = stored.prefix?.serverTools.filter((t) => !permitted.has(JSON.stringify(t))).map((t) => t.name) ?? [];
  if (stored.prefix && withdrawn.length === 0) return { history, prefix: stored.prefix, warnings };
  const stripped = withoutThinking(history);
  if (stripped.dropped > 0) {
    const why = stored.prefix
      ? `the agent may no longer use ${withdrawn.join(', ')}, which it started with`
      : 'it was stored without the system prompt and tools it started with (an older agents-mcp)';
    warnings.push(
      `This run continues under today's system prompt and tools because ${why}; its ${stripped.dropped} earlier thinking block(s) were dropped, since the API accepts them only under the prefix they were produced in.`,
    );
  }
  return { history: stripped.history, warnings };
}
