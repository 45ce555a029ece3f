/**
 * The script language of the fake Anthropic server: each Step is what the server does with
 * one request. Steps are plain data (plus function steps), built by the helpers below.
 */
import type { RefusalStopDetails, StopReason } from '@anthropic-ai/sdk/resources/messages';
import type { ScriptedRequest } from './request.js';

/** A text content block of a reply. Streamed as several `text_delta` chunks. */
export interface TextSpec {
  kind: 'text';
  text: string;
}

/** A tool_use content block of a reply. Its input is streamed as `input_json_delta` chunks. */
export interface ToolUseSpec {
  kind: 'tool_use';
  name: string;
  input: Record<string, unknown>;
  /** Defaults to `toolu_fake_<n>`, counted per server. */
  id?: string;
}

/** A thinking content block of a reply, streamed as `thinking_delta` chunks and one `signature_delta`. */
export interface ThinkingSpec {
  kind: 'thinking';
  thinking: string;
  /**
   * Default: signed by the fake over the block's text and the request it answers (see rules.ts),
   * so it verifies when sent back unchanged under the same prefix. A given value is sent as-is
   * (and fails verification when sent back).
   */
  signature?: string;
}

/** One content block of a scripted reply. */
export type BlockSpec = TextSpec | ToolUseSpec | ThinkingSpec;

/** Token counts of a reply; every field is overridable through {@link ReplyOptions.usage}. */
export interface FakeUsage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
}

/** Options of {@link reply}. */
export interface ReplyOptions {
  /** Default: `tool_use` when the reply has a tool_use block, else `end_turn`. */
  stop_reason?: StopReason;
  /** Default: null. */
  stop_sequence?: string | null;
  /**
   * Sent in `message_delta` and the final message. Default for `refusal`: category and
   * explanation null; for every other stop reason, null.
   */
  stop_details?: Pick<RefusalStopDetails, 'category' | 'explanation'> | null;
  /** Overrides the estimated counts (input ≈ request bytes / 4, output ≈ content chars / 4, cache 0). */
  usage?: Partial<FakeUsage>;
  /** Default: the `model` of the request. */
  model?: string;
}

/** A successful assistant message. */
export interface ReplyStep extends ReplyOptions {
  kind: 'reply';
  content: BlockSpec[];
}

/** The `error` object of the API's error body. */
export interface ApiErrorSpec {
  type:
    | 'invalid_request_error'
    | 'authentication_error'
    | 'billing_error'
    | 'permission_error'
    | 'not_found_error'
    | 'request_too_large'
    | 'rate_limit_error'
    | 'timeout_error'
    | 'api_error'
    | 'overloaded_error';
  message: string;
}

/** Options of {@link httpError}. */
export interface HttpErrorOptions {
  /** Seconds, sent as `retry-after`. The SDK ignores 0 and falls back to its ~0.5 s backoff. */
  retryAfter?: number;
  /** Milliseconds, sent as `retry-after-ms`; the SDK prefers it over `retry-after`. */
  retryAfterMs?: number;
  /** `x-should-retry`; default true for 408, 409, 429 and 5xx, else false (the SDK's own policy). */
  shouldRetry?: boolean;
}

/** An HTTP error response with the API's error body. */
export interface HttpErrorStep extends HttpErrorOptions {
  kind: 'http_error';
  status: number;
  error: ApiErrorSpec;
}

/** A response whose connection is destroyed part-way. */
export interface StreamCutStep {
  kind: 'stream_cut';
  afterEvents: number;
  reply: ReplyStep;
}

/** A 200 SSE response that sends some events of a reply, then an `event: error`, then ends. */
export interface StreamErrorStep {
  kind: 'stream_error';
  error: ApiErrorSpec;
  afterEvents: number;
  reply: ReplyStep;
  /** Seconds, sent as `retry-after` on the stream's response (the SDK attaches it to the error). */
  retryAfter?: number;
}

/** A 200 response whose body is the given bytes, verbatim. */
export interface MalformedStep {
  kind: 'malformed';
  raw: string;
}

/**
 * A 200 SSE response whose body is `body` verbatim (any event order, half frames, unknown
 * events), followed by `then`: `end` the response, `cut` the socket, or `stall` (keep it open
 * and silent until the client gives up or the server closes).
 */
export interface RawStreamStep {
  kind: 'raw_stream';
  body: string;
  then: 'end' | 'cut' | 'stall';
}

/** No response at all until the client gives up or the server closes. */
export interface HangStep {
  kind: 'hang';
}

/** Latency before another step answers. */
export interface DelayStep {
  kind: 'delay';
  ms: number;
  step: Step;
}

/** Another step, with a pause between SSE events. */
export interface SlowStreamStep {
  kind: 'slow_stream';
  chunkDelayMs: number;
  step: Step;
}

/** A step chosen when the request arrives. */
export type StepFunction = (request: ScriptedRequest) => Step | Promise<Step>;

/** What the server does with one request. A lone content block is a one-block reply. */
export type Step =
  | BlockSpec
  | ReplyStep
  | HttpErrorStep
  | StreamCutStep
  | StreamErrorStep
  | MalformedStep
  | RawStreamStep
  | HangStep
  | DelayStep
  | SlowStreamStep
  | StepFunction;

/** A text block; as a step, a reply with just this block. */
export function text(value: string): TextSpec {
  return { kind: 'text', text: value };
}

/** A tool_use block; as a step, a reply with just this block (stop_reason `tool_use`). */
export function toolUse(name: string, input: Record<string, unknown>, id?: string): ToolUseSpec {
  return id === undefined ? { kind: 'tool_use', name, input } : { kind: 'tool_use', name, input, id };
}

/** A thinking block, signed by the fake unless `signature` is given (see {@link ThinkingSpec.signature}). */
export function thinking(value: string, signature?: string): ThinkingSpec {
  return signature === undefined ? { kind: 'thinking', thinking: value } : { kind: 'thinking', thinking: value, signature };
}

/** One assistant message made of the given blocks, in order. */
export function reply(content: BlockSpec[], options: ReplyOptions = {}): ReplyStep {
  return { kind: 'reply', content, ...options };
}

/**
 * An HTTP error with the real body `{"type":"error","error":{type,message},"request_id":...}`
 * and the `request-id`, `x-should-retry` and (when given) `retry-after` headers.
 */
export function httpError(status: number, error: ApiErrorSpec, options: HttpErrorOptions = {}): HttpErrorStep {
  return { kind: 'http_error', status, error, ...options };
}

/**
 * The API's error for `type`, with the status the API uses for it (400, 401, 402, 403, 404,
 * 413, 429, 500, 504, 529) and a default message.
 * @see https://platform.claude.com/docs/en/api/errors
 */
export function apiError(type: ApiErrorSpec['type'], message = DEFAULT_ERROR_MESSAGES[type], options: HttpErrorOptions = {}): HttpErrorStep {
  return httpError(STATUS_BY_ERROR_TYPE[type], { type, message }, options);
}

/** The HTTP status the API uses for each error type. */
export const STATUS_BY_ERROR_TYPE: Record<ApiErrorSpec['type'], number> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const DEFAULT_ERROR_MESSAGES: Record<ApiErrorSpec['type'], string> = {
  invalid_request_error: 'There was an issue with the format or content of your request.',
  authentication_error: 'invalid x-api-key',
  billing_error: 'Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.',
  permission_error: 'Your API key does not have permission to use the specified resource.',
  not_found_error: 'The requested resource could not be found.',
  request_too_large: 'Request exceeds the maximum allowed number of bytes.',
  rate_limit_error: 'Your account has hit a rate limit.',
  api_error: 'An unexpected error has occurred internal to Anthropic\'s systems.',
  timeout_error: 'The request timed out.',
  overloaded_error: 'Overloaded',
};

/**
 * Send the first `afterEvents` SSE events of `base` (ping included), then destroy the socket.
 * A non-streaming request gets the headers and half of the JSON body instead.
 * @param base defaults to a text reply.
 */
export function streamCut(afterEvents: number, base: ReplyStep = reply([text('This reply is cut short by the fake.')])): StreamCutStep {
  return { kind: 'stream_cut', afterEvents, reply: base };
}

/**
 * Send the first `afterEvents` SSE events of `base`, then an `event: error` with the API's
 * error body, then end the response (the API's mid-stream failure, e.g. overloaded).
 * A non-streaming request gets the matching HTTP error instead.
 */
export function streamError(
  error: ApiErrorSpec = { type: 'overloaded_error', message: 'Overloaded' },
  { afterEvents = 3, base = reply([text('This reply fails part-way.')]), retryAfter }: { afterEvents?: number; base?: ReplyStep; retryAfter?: number } = {},
): StreamErrorStep {
  return { kind: 'stream_error', error, afterEvents, reply: base, ...(retryAfter !== undefined ? { retryAfter } : {}) };
}

/** Default body of {@link malformedSse}: a message_start whose JSON breaks off. */
export const MALFORMED_SSE_BODY = 'event: message_start\ndata: {"type":"message_start","message":{"id":\n\n';

/** A 200 response whose body is `raw` verbatim (for non-streaming requests too). */
export function malformedSse(raw: string = MALFORMED_SSE_BODY): MalformedStep {
  return { kind: 'malformed', raw };
}

/**
 * Send `body` as a 200 SSE stream, then end, cut or stall (see {@link RawStreamStep}). Build
 * the body with `encodeSseFrame` (wire.ts) or by hand, e.g. for events out of order or a
 * frame cut in half.
 */
export function rawStream(body: string, { then = 'end' }: { then?: RawStreamStep['then'] } = {}): RawStreamStep {
  return { kind: 'raw_stream', body, then };
}

/** Never answer; released (socket destroyed) when the client aborts or the server closes. */
export function hang(): HangStep {
  return { kind: 'hang' };
}

/** Wait `ms` before `step` answers. */
export function delay(ms: number, step: Step): DelayStep {
  return { kind: 'delay', ms, step };
}

/** Answer with `step`, pausing `chunkDelayMs` before each SSE event. */
export function slowStream(step: Step, { chunkDelayMs }: { chunkDelayMs: number }): SlowStreamStep {
  return { kind: 'slow_stream', chunkDelayMs, step };
}

/** A short name of a step, for failure messages. */
export function describeStep(step: Step): string {
  if (typeof step === 'function') return 'function step';
  switch (step.kind) {
    case 'text':
      return `text(${JSON.stringify(step.text.slice(0, 40))})`;
    case 'tool_use':
      return `toolUse(${JSON.stringify(step.name)})`;
    case 'thinking':
      return 'thinking';
    case 'reply':
      return `reply([${step.content.map(describeStep).join(', ')}])`;
    case 'http_error':
      return `httpError(${step.status}, ${step.error.type})`;
    case 'stream_cut':
      return `streamCut(${step.afterEvents})`;
    case 'stream_error':
      return `streamError(${step.error.type})`;
    case 'malformed':
      return 'malformedSse';
    case 'raw_stream':
      return `rawStream(${step.then})`;
    case 'hang':
      return 'hang';
    case 'delay':
      return `delay(${step.ms}, ${describeStep(step.step)})`;
    case 'slow_stream':
      return `slowStream(${describeStep(step.step)})`;
  }
}
