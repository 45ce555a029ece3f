/**
 * One tool call from the model → one tool_result block. Never throws: a missing tool, a
 * refused tool or a tool that fails all become `is_error` results the model can read.
 */
import type { Tool, ToolContext, ToolResultPart } from '../tools/tool.js';
import type { ToolResultBlock, ToolUseBlock } from './model.js';

export interface ExecuteToolCallOptions {
  call: ToolUseBlock;
  tools: ReadonlyMap<string, Tool>;
  /** Tools the run's mode withholds, with the refusal to give instead of "not available". */
  withheld?: ReadonlyMap<string, string>;
  ctx: ToolContext;
}

/** Longest unknown tool name quoted back to the model: it may send anything as a name. */
const MAX_QUOTED_NAME_CHARS = 100;

function quoteName(name: string): string {
  return name.length > MAX_QUOTED_NAME_CHARS ? `${name.slice(0, MAX_QUOTED_NAME_CHARS)}…" (${name.length} characters)` : `${name}"`;
}

function errorBlock(call: ToolUseBlock, text: string): ToolResultBlock {
  return { type: 'tool_result', tool_use_id: call.id, content: [{ type: 'text', text }], is_error: true };
}

/** Run one tool_use block and build its tool_result. */
export async function executeToolCall({ call, tools, withheld, ctx }: ExecuteToolCallOptions): Promise<ToolResultBlock> {
  const tool = tools.get(call.name);
  const refusal = tool ? undefined : withheld?.get(call.name);
  if (refusal !== undefined) return errorBlock(call, refusal);
  if (!tool) {
    const available = [...tools.keys()].join(', ') || 'none';
    return errorBlock(call, `Tool "${quoteName(call.name)} is not available to this agent. Available tools: ${available}.`);
  }
  if (ctx.signal.aborted) return errorBlock(call, `${call.name} was not run: the run was cancelled.`);
  // The loop offers a tool the API runs (web search) as a server tool, never as one to call here.
  if (!tool.run) return errorBlock(call, `${call.name} runs on the Anthropic API's side; it cannot be called as a client tool.`);
  try {
    const result = await tool.run(call.input, ctx);
    const content: ToolResultPart[] = result.content.length > 0 ? result.content : [{ type: 'text', text: '(no output)' }];
    return { type: 'tool_result', tool_use_id: call.id, content, ...(result.isError ? { is_error: true } : {}) };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return errorBlock(call, `${call.name} failed: ${message}`);
  }
}
