/**
 * Continuing a stored conversation with a follow-up prompt. A run may have stopped anywhere
 * (cancelled mid-tool, at a limit, after its answer); the Messages API only takes histories
 * that alternate user/assistant and answer every tool_use, so the follow-up is fitted in
 * accordingly.
 */
import type { ContentBlock, ModelMessage, ToolResultBlock, ToolUseBlock } from './model.js';

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
