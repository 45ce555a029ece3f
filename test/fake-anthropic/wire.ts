/**
 * Pure translation of scripted replies and errors into the Messages API wire format:
 * the non-streaming Message JSON and the SSE event sequence that reassembles into it.
 * @see https://platform.claude.com/docs/en/build-with-claude/streaming
 */
import type {
  ContentBlock,
  Message,
  RawContentBlockStartEvent,
  RawMessageStreamEvent,
  Usage,
} from '@anthropic-ai/sdk/resources/messages';
import { STATUS_BY_ERROR_TYPE, type ApiErrorSpec, type BlockSpec, type FakeUsage, type ReplyStep } from './steps.js';

/** Code points per `text_delta` / `thinking_delta` chunk. */
export const TEXT_CHUNK_CHARS = 8;
/** Code points per `input_json_delta` chunk (after the API's leading empty one). */
export const JSON_CHUNK_CHARS = 12;

/** One SSE event: its `event:` name and its `data:` JSON. */
export interface SseFrame {
  event: string;
  data: unknown;
}

/** Per-response values the server decides: ids, model, and the request size for usage. */
export interface RenderContext {
  messageId: string;
  /** The request's model, used unless the reply names one. */
  model: string;
  /** Bytes of the request body, for the input-token estimate. */
  requestBytes: number;
  /** Returns the next `toolu_…` id for tool_use blocks without one. */
  nextToolUseId: () => string;
  /**
   * Signs a thinking block that has no scripted signature, given the blocks of the reply before
   * it (see rules.ts). Default: the signature `unsigned`.
   */
  signThinking?: (text: string, blocksBefore: readonly ContentBlock[]) => string;
}

/** A reply rendered both ways, with the same ids. */
export interface RenderedReply {
  message: Message;
  frames: SseFrame[];
}

/** Split `value` into pieces of at most `size` code points (never splitting a surrogate pair). */
export function splitIntoChunks(value: string, size: number): string[] {
  const points = Array.from(value);
  const chunks: string[] = [];
  for (let i = 0; i < points.length; i += size) chunks.push(points.slice(i, i + size).join(''));
  return chunks;
}

/** Encode one SSE event as the API does: `event:` line, `data:` line, blank line. */
export function encodeSseFrame(frame: SseFrame): string {
  return `event: ${frame.event}\ndata: ${JSON.stringify(frame.data)}\n\n`;
}

/** The API's error body. */
export function createErrorBody(error: ApiErrorSpec, requestId: string): object {
  return { type: 'error', error: { type: error.type, message: error.message }, request_id: requestId };
}

/** The HTTP status the API uses for each error type. */
export function statusForErrorType(type: ApiErrorSpec['type']): number {
  return STATUS_BY_ERROR_TYPE[type];
}

/** Whether the SDK's default policy retries this status; the fake echoes it as `x-should-retry`. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Render a reply as the final Message and as the SSE frames (with one ping) that build it. */
export function renderReply(step: ReplyStep, ctx: RenderContext): RenderedReply {
  const blocks: RenderedBlock[] = [];
  for (const spec of step.content) blocks.push(renderBlock(spec, ctx, blocks.map((b) => b.final)));
  const usage = resolveUsage(step, ctx);
  const stopReason = step.stop_reason ?? (step.content.some((b) => b.kind === 'tool_use') ? 'tool_use' : 'end_turn');
  const stopSequence = step.stop_sequence ?? null;
  const stopDetails: Message['stop_details'] =
    step.stop_details === undefined
      ? stopReason === 'refusal'
        ? { type: 'refusal', category: null, explanation: null }
        : null
      : step.stop_details && { type: 'refusal', ...step.stop_details };
  const message: Message = {
    id: ctx.messageId,
    type: 'message',
    role: 'assistant',
    model: step.model ?? ctx.model,
    content: blocks.map((b) => b.final),
    stop_reason: stopReason,
    stop_sequence: stopSequence,
    stop_details: stopDetails,
    container: null,
    diagnostics: null,
    usage: toWireUsage(usage),
  };

  // message_start carries the input side of usage; output_tokens grows until message_delta.
  const start: Message = {
    ...message,
    content: [],
    stop_reason: null,
    stop_sequence: null,
    stop_details: null,
    usage: toWireUsage({ ...usage, output_tokens: Math.min(1, usage.output_tokens) }),
  };
  const events: RawMessageStreamEvent[] = [{ type: 'message_start', message: start }];
  blocks.forEach((block, index) => {
    events.push({ type: 'content_block_start', index, content_block: block.start });
    for (const delta of block.deltas) events.push({ type: 'content_block_delta', index, delta });
    events.push({ type: 'content_block_stop', index });
  });
  events.push({
    type: 'message_delta',
    delta: { stop_reason: stopReason, stop_sequence: stopSequence, stop_details: stopDetails, container: null },
    usage: {
      input_tokens: usage.input_tokens,
      output_tokens: usage.output_tokens,
      cache_creation_input_tokens: usage.cache_creation_input_tokens,
      cache_read_input_tokens: usage.cache_read_input_tokens,
      output_tokens_details: null,
      server_tool_use: null,
    },
  });
  events.push({ type: 'message_stop' });

  const frames: SseFrame[] = events.map((e) => ({ event: e.type, data: e }));
  // The API sends a ping right after message_start.
  frames.splice(1, 0, { event: 'ping', data: { type: 'ping' } });
  return { message, frames };
}

interface RenderedBlock {
  final: ContentBlock;
  start: RawContentBlockStartEvent['content_block'];
  deltas: Extract<RawMessageStreamEvent, { type: 'content_block_delta' }>['delta'][];
}

function renderBlock(spec: BlockSpec, ctx: RenderContext, blocksBefore: readonly ContentBlock[]): RenderedBlock {
  switch (spec.kind) {
    case 'text':
      return {
        final: { type: 'text', text: spec.text, citations: null },
        start: { type: 'text', text: '', citations: null },
        deltas: splitIntoChunks(spec.text, TEXT_CHUNK_CHARS).map((t) => ({ type: 'text_delta', text: t })),
      };
    case 'tool_use': {
      const id = spec.id ?? ctx.nextToolUseId();
      const caller = { type: 'direct' } as const;
      // Like the API: an empty first partial_json, then the JSON text in pieces.
      const pieces = ['', ...splitIntoChunks(JSON.stringify(spec.input), JSON_CHUNK_CHARS)];
      return {
        final: { type: 'tool_use', id, name: spec.name, input: spec.input, caller },
        start: { type: 'tool_use', id, name: spec.name, input: {}, caller },
        deltas: pieces.map((p) => ({ type: 'input_json_delta', partial_json: p })),
      };
    }
    case 'thinking': {
      const signature = spec.signature ?? ctx.signThinking?.(spec.thinking, blocksBefore) ?? 'unsigned';
      return {
        final: { type: 'thinking', thinking: spec.thinking, signature },
        start: { type: 'thinking', thinking: '', signature: '' },
        deltas: [
          ...splitIntoChunks(spec.thinking, TEXT_CHUNK_CHARS).map((t) => ({ type: 'thinking_delta' as const, thinking: t })),
          { type: 'signature_delta', signature },
        ],
      };
    }
  }
}

function resolveUsage(step: ReplyStep, ctx: RenderContext): FakeUsage {
  const outputChars = step.content.reduce((sum, b) => {
    switch (b.kind) {
      case 'text':
        return sum + b.text.length;
      case 'tool_use':
        return sum + b.name.length + JSON.stringify(b.input).length;
      case 'thinking':
        return sum + b.thinking.length;
    }
  }, 0);
  return {
    input_tokens: Math.max(1, Math.ceil(ctx.requestBytes / 4)),
    output_tokens: Math.max(1, Math.ceil(outputChars / 4)),
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    ...step.usage,
  };
}

function toWireUsage(u: FakeUsage): Usage {
  return {
    input_tokens: u.input_tokens,
    output_tokens: u.output_tokens,
    cache_creation_input_tokens: u.cache_creation_input_tokens,
    cache_read_input_tokens: u.cache_read_input_tokens,
    cache_creation: { ephemeral_5m_input_tokens: u.cache_creation_input_tokens, ephemeral_1h_input_tokens: 0 },
    inference_geo: null,
    output_tokens_details: null,
    server_tool_use: null,
    service_tier: 'standard',
    speed: null,
  };
}
