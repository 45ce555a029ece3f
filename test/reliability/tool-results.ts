/** Reading the tool_result blocks the loop sent back to the (fake) model. */
import type { ScriptedRequest } from '../fake-anthropic/server.js';

/** A tool_result block as it travels in a Messages request. */
export interface ToolResultBlock {
  [key: string]: unknown;
  type: 'tool_result';
  tool_use_id: string;
  is_error?: boolean;
  content: Array<{ type: string; text?: string }>;
}

/** The tool_result blocks of the last message of a request. */
export function toolResultsOf(request: ScriptedRequest): ToolResultBlock[] {
  const last = request.body.messages.at(-1);
  const content = Array.isArray(last?.content) ? last.content : [];
  return content.filter((b): b is ToolResultBlock => b.type === 'tool_result');
}

/** The text of a tool_result, other parts shown as `[type]`. */
export function textOfToolResult(block: ToolResultBlock | undefined): string {
  return (block?.content ?? []).map((c) => c.text ?? `[${c.type}]`).join('');
}
