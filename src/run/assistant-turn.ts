/**
 * Reading an assistant turn as the loop needs it: its text, its tool calls, and what goes back
 * after a turn cut at the output-token limit.
 */
import type { ContentBlock, TextBlock, ToolUseBlock } from './model.js';

/** Text of an assistant message's text blocks, joined. */
export function textOf(content: ContentBlock[]): string {
  return content
    .filter((b): b is TextBlock => b.type === 'text' && typeof (b as TextBlock).text === 'string')
    .map((b) => b.text)
    .join('');
}

export function toolUsesOf(content: ContentBlock[]): ToolUseBlock[] {
  return content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
}

export const CONTINUE_AFTER_MAX_TOKENS =
  'Your previous response was cut off at the output-token limit. Continue exactly where you stopped, without repeating anything.';

export const CUT_OFF_TOOL_CALL = 'Not run: this tool call was cut off at the output-token limit. Make it again if it is still needed.';

/**
 * The assistant turn as it came (thinking blocks must go back exactly), minus thinking blocks
 * that never got their signature because the limit cut them short: the API cannot verify those.
 */
export function keptAfterMaxTokens(content: ContentBlock[]): ContentBlock[] {
  const kept = content.filter((b) => b.type !== 'thinking' || (typeof b['signature'] === 'string' && b['signature'] !== ''));
  return kept.length > 0 ? kept : [{ type: 'text', text: '(no text)' }];
}

