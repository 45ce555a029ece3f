/**
 * The Messages API's wire, as we speak it: the request body of one turn (with its prompt-cache
 * breakpoints), and the stop reason and usage of a response read back as ours.
 */
import type { MessageCreateParamsStreaming, MessageParam, TextBlockParam, Tool as ApiTool, ToolUnion } from '@anthropic-ai/sdk/resources/messages';
import type { ContentBlock, ModelMessage, ModelRequest, StopReason } from './model.js';
import type { Usage } from './usage.js';

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * The request body for one turn, with cache breakpoints on the last tool, the system prompt,
 * the newest message, and the user message that ended the previous turn's request (the API's
 * 4 at most). The newest message writes this turn's prefix to the cache; the previous one
 * makes sure the next turn reads it, even when a turn added more than the 20 blocks the API
 * looks back over from a breakpoint. Tools and system are shared by every run of the agent.
 * See docs/caching.md.
 * @see https://platform.claude.com/docs/en/build-with-claude/prompt-caching
 */
export function buildRequestBody(req: ModelRequest): MessageCreateParamsStreaming {
  const clientTools: ToolUnion[] = req.tools.map((t) => ({
    name: t.name,
    description: t.description,
    input_schema: t.input_schema as ApiTool['input_schema'],
  }));
  // Server tool definitions go as typed (web_search_20250305, …); the SDK's union names each type.
  const serverTools = (req.serverTools ?? []).map((t) => ({ ...t }) as unknown as ToolUnion);
  const allTools = [...clientTools, ...serverTools];
  const tools: ToolUnion[] = allTools.map((t, i) => (i === allTools.length - 1 ? { ...t, cache_control: EPHEMERAL } : t));
  // An empty text block may not carry a breakpoint (the API refuses it).
  const system: TextBlockParam[] = [{ type: 'text', text: req.system, ...(req.system === '' ? {} : { cache_control: EPHEMERAL }) }];
  const last = req.messages.length - 1;
  let previous = last - 1;
  while (previous >= 0 && req.messages[previous]!.role !== 'user') previous--;
  const messages = req.messages.map((m, i) =>
    i === last || i === previous ? withCacheBreakpoint(m) : (m as unknown as MessageParam),
  );
  return {
    model: req.model,
    max_tokens: req.maxTokens,
    system,
    messages,
    ...(tools.length > 0 ? { tools } : {}),
    ...(req.effort ? { output_config: { effort: req.effort } } : {}),
    stream: true,
  };
}

/** Block types the API lets a breakpoint sit on; never a thinking block. */
const CACHEABLE = new Set(['text', 'image', 'document', 'search_result', 'tool_use', 'tool_result', 'server_tool_use', 'web_search_tool_result', 'web_fetch_tool_result']);

function isCacheable(b: ContentBlock): boolean {
  return CACHEABLE.has(b.type) && !(b.type === 'text' && (b as { text?: unknown }).text === '');
}

/**
 * The message with a breakpoint on its last block that may carry one. A turn cut off at
 * max_tokens may end in a thinking block, which must go back exactly as received: the
 * breakpoint then moves to an earlier block, or the message goes without one.
 */
function withCacheBreakpoint(m: ModelMessage): MessageParam {
  let at = m.content.length - 1;
  while (at >= 0 && !isCacheable(m.content[at]!)) at--;
  const content = m.content.map((b, i) => (i === at ? { ...b, cache_control: EPHEMERAL } : b));
  return { role: m.role, content } as unknown as MessageParam;
}

/**
 * Map the API's stop_reason onto ours, keeping unknown values as `other`.
 * @see https://platform.claude.com/docs/en/api/messages (stop_reason)
 */
export function mapStopReason(raw: string | null | undefined): StopReason {
  switch (raw) {
    case 'end_turn':
    case 'tool_use':
    case 'max_tokens':
    case 'stop_sequence':
    case 'pause_turn':
    case 'refusal':
    case 'model_context_window_exceeded':
      return raw;
    default:
      return 'other';
  }
}

/** The SDK's usage object → ours (its fields may be null on partial messages). */
export function toUsage(u: {
  input_tokens: number | null;
  output_tokens: number | null;
  cache_creation_input_tokens: number | null;
  cache_read_input_tokens: number | null;
  server_tool_use?: { web_search_requests?: number | null } | null;
}): Usage {
  const searches = u.server_tool_use?.web_search_requests ?? 0;
  return {
    input_tokens: u.input_tokens ?? 0,
    output_tokens: u.output_tokens ?? 0,
    cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
    cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
    ...(searches > 0 ? { web_search_requests: searches } : {}),
  };
}
