/**
 * Our Messages-API vocabulary ↔ MCP sampling (`sampling/createMessage`, with tools since spec
 * 2025-11-25). Pure functions: sampling.ts sends what these build and reads what they parse.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/client/sampling
 */
import type {
  ContentBlock as McpContentBlock,
  CreateMessageRequestParams,
  CreateMessageResult,
  CreateMessageResultWithTools,
  ModelPreferences,
  SamplingMessage,
  SamplingMessageContentBlock,
  Tool as McpTool,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import { INHERIT_MODEL } from '../agents/models.js';
import type { ToolResultPart } from '../tools/tool.js';
import type { ContentBlock, ModelMessage, ModelRequest, ModelResponse, StopReason, TextBlock, ToolResultBlock, ToolUseBlock } from './model.js';
import { emptyUsage, type Usage } from './usage.js';

/** An image block in the Messages API's shape (what Read returns for a picture). */
const AnthropicImageSchema = z.object({
  type: z.literal('image'),
  source: z.object({ type: z.literal('base64'), media_type: z.string(), data: z.string() }),
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One part of a tool result → MCP content. */
function toMcpContent(part: ToolResultPart): McpContentBlock {
  return part.type === 'text' ? { type: 'text', text: part.text } : { type: 'image', data: part.source.data, mimeType: part.source.media_type };
}

/** MCP content inside a tool result → our part; kinds a tool result of ours never holds become text. */
function fromMcpContent(block: McpContentBlock): ToolResultPart {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return { type: 'image', source: { type: 'base64', media_type: block.mimeType, data: block.data } };
    default:
      return { type: 'text', text: JSON.stringify(block) };
  }
}

/**
 * One of our blocks → a sampling content block. Blocks only the Anthropic API knows
 * (thinking, server tool results) have no sampling form and are left out.
 */
export function toSamplingContent(block: ContentBlock): SamplingMessageContentBlock | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: (block as TextBlock).text };
    case 'tool_use': {
      const use = block as ToolUseBlock;
      return { type: 'tool_use', id: use.id, name: use.name, input: isRecord(use.input) ? use.input : {} };
    }
    case 'tool_result': {
      const result = block as ToolResultBlock;
      return {
        type: 'tool_result',
        toolUseId: result.tool_use_id,
        content: result.content.map(toMcpContent),
        ...(result.is_error ? { isError: true } : {}),
      };
    }
    case 'image': {
      const image = AnthropicImageSchema.safeParse(block);
      return image.success ? { type: 'image', data: image.data.source.data, mimeType: image.data.source.media_type } : undefined;
    }
    default:
      return undefined;
  }
}

/** A sampling content block → ours; audio has no place in our history and is left out. */
export function fromSamplingContent(block: SamplingMessageContentBlock): ContentBlock | undefined {
  switch (block.type) {
    case 'text':
      return { type: 'text', text: block.text };
    case 'image':
      return { type: 'image', source: { type: 'base64', media_type: block.mimeType, data: block.data } };
    case 'tool_use':
      return { type: 'tool_use', id: block.id, name: block.name, input: block.input };
    case 'tool_result':
      return {
        type: 'tool_result',
        tool_use_id: block.toolUseId,
        content: block.content.map(fromMcpContent),
        ...(block.isError ? { is_error: true } : {}),
      };
    default:
      return undefined;
  }
}

/** One message of our history → a sampling message. */
export function toSamplingMessage(message: ModelMessage): SamplingMessage {
  const content = message.content.map(toSamplingContent).filter((b): b is SamplingMessageContentBlock => b !== undefined);
  return { role: message.role, content };
}

/**
 * Our history → sampling messages. A user message holding tool results and more (a resumed
 * run's follow-up joins the results of its last turn) becomes two: the spec wants a message
 * with tool results to hold nothing else, and the MCP SDK refuses one that does.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/client/sampling (tool results)
 */
export function toSamplingMessages(messages: readonly ModelMessage[]): SamplingMessage[] {
  return messages.flatMap((m) => {
    const results = m.content.filter((b) => b.type === 'tool_result');
    if (m.role !== 'user' || results.length === 0 || results.length === m.content.length) return [toSamplingMessage(m)];
    const rest = m.content.filter((b) => b.type !== 'tool_result');
    return [toSamplingMessage({ role: 'user', content: results }), toSamplingMessage({ role: 'user', content: rest })];
  });
}

/**
 * The agent's `model:` → model preferences. Hints, not a demand: the client picks the model.
 * An alias or a full id becomes the one hint (`sonnet` → `[{name: 'sonnet'}]`, which the spec
 * says clients match as a substring); `inherit` means "the caller's model", which under
 * sampling is the client's own, so it sends no preference at all.
 */
export function toModelPreferences(requestedModel: string | undefined): ModelPreferences | undefined {
  const spec = requestedModel?.trim();
  if (!spec || spec.toLowerCase() === INHERIT_MODEL) return undefined;
  return { hints: [{ name: spec }] };
}

/** The sampling request for one turn: system prompt, history, tools, output cap, model hints. */
export function toSamplingParams(req: ModelRequest): CreateMessageRequestParams {
  const modelPreferences = toModelPreferences(req.requestedModel);
  const tools: McpTool[] = req.tools.map((t) => ({
    name: t.name,
    description: t.description,
    inputSchema: t.input_schema as McpTool['inputSchema'],
  }));
  return {
    systemPrompt: req.system,
    messages: toSamplingMessages(req.messages),
    maxTokens: req.maxTokens,
    ...(tools.length > 0 ? { tools } : {}),
    ...(modelPreferences ? { modelPreferences } : {}),
  };
}

const STOP_REASONS: Readonly<Record<string, StopReason>> = {
  endTurn: 'end_turn',
  toolUse: 'tool_use',
  maxTokens: 'max_tokens',
  stopSequence: 'stop_sequence',
  // Provider values some clients pass through unchanged (the field is an open string).
  end_turn: 'end_turn',
  tool_use: 'tool_use',
  max_tokens: 'max_tokens',
  stop_sequence: 'stop_sequence',
  refusal: 'refusal',
  model_context_window_exceeded: 'model_context_window_exceeded',
};

/**
 * The client's stopReason → ours. A turn that holds tool calls is a tool_use turn even when the
 * client says `endTurn` or nothing: dropping the calls would end the run on a half-done task.
 * @see https://modelcontextprotocol.io/specification/2025-11-25/client/sampling (CreateMessageResult.stopReason)
 */
export function mapSamplingStopReason(raw: string | undefined, hasToolUse: boolean): StopReason {
  if (hasToolUse && (raw === undefined || raw === 'endTurn' || raw === 'end_turn')) return 'tool_use';
  if (raw === undefined) return 'end_turn';
  return STOP_REASONS[raw] ?? 'other';
}

const count = z.number().int().nonnegative();
/** Token counts a client may put in the result's `_meta.usage` (no standard field exists). */
const MetaUsageSchema = z.union([
  z.object({
    input_tokens: count,
    output_tokens: count,
    cache_creation_input_tokens: count.optional(),
    cache_read_input_tokens: count.optional(),
  }),
  z.object({
    inputTokens: count,
    outputTokens: count,
    cacheCreationInputTokens: count.optional(),
    cacheReadInputTokens: count.optional(),
  }),
]);

/**
 * Usage from the result's `_meta.usage` when the client reports it, in the Messages API's
 * names or camelCase; zeros otherwise (MCP defines no usage field).
 */
export function usageFromMeta(meta: unknown): Usage {
  const parsed = MetaUsageSchema.safeParse(isRecord(meta) ? meta['usage'] : undefined);
  if (!parsed.success) return emptyUsage();
  const u = parsed.data;
  return 'input_tokens' in u
    ? {
        input_tokens: u.input_tokens,
        output_tokens: u.output_tokens,
        cache_creation_input_tokens: u.cache_creation_input_tokens ?? 0,
        cache_read_input_tokens: u.cache_read_input_tokens ?? 0,
      }
    : {
        input_tokens: u.inputTokens,
        output_tokens: u.outputTokens,
        cache_creation_input_tokens: u.cacheCreationInputTokens ?? 0,
        cache_read_input_tokens: u.cacheReadInputTokens ?? 0,
      };
}

/** The client's answer → one model turn in our vocabulary. */
export function fromSamplingResult(result: CreateMessageResult | CreateMessageResultWithTools): ModelResponse {
  const blocks: SamplingMessageContentBlock[] = Array.isArray(result.content) ? result.content : [result.content];
  const content = blocks.map(fromSamplingContent).filter((b): b is ContentBlock => b !== undefined && b.type !== 'tool_result');
  const hasToolUse = content.some((b) => b.type === 'tool_use');
  return {
    content,
    stopReason: mapSamplingStopReason(result.stopReason, hasToolUse),
    rawStopReason: result.stopReason ?? null,
    usage: usageFromMeta(result._meta),
    model: result.model,
  };
}
