/**
 * The Anthropic Messages API behind the ModelClient seam: streams each turn through
 * @anthropic-ai/sdk, places prompt-cache breakpoints, and translates SDK errors into
 * ModelErrors that say what to do.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsStreaming, MessageParam, TextBlockParam, Tool as ApiTool } from '@anthropic-ai/sdk/resources/messages';
import {
  ModelError,
  type ContentBlock,
  type ModelClient,
  type ModelMessage,
  type ModelRequest,
  type ModelResponse,
  type StopReason,
  type TurnOptions,
} from './model.js';
import { emptyUsage, type Usage } from './usage.js';

export interface AnthropicCredentials {
  apiKey?: string;
  authToken?: string;
  baseURL?: string;
}

export interface AnthropicClientOptions extends AnthropicCredentials {
  /** SDK retries for 429/5xx/connection errors before a turn fails (default 2). */
  maxRetries?: number;
  /** Per-request timeout in ms (default: the SDK's 10 minutes). */
  timeoutMs?: number;
  /** How many times a stream cut mid-way restarts the turn (default 2). */
  streamRestarts?: number;
}

/** True when the environment or options hold something the API will accept as a credential. */
export function hasCredentials(c: AnthropicCredentials): boolean {
  return Boolean(c.apiKey || c.authToken);
}

const EPHEMERAL = { type: 'ephemeral' } as const;

/**
 * The request body for one turn, with cache breakpoints on the last tool, the system prompt
 * and the newest message, so every later turn reads the whole prefix from cache (3 of the
 * API's 4 breakpoints).
 * @see https://platform.claude.com/docs/en/build-with-claude/prompt-caching
 */
export function buildRequestBody(req: ModelRequest): MessageCreateParamsStreaming {
  const tools: ApiTool[] = req.tools.map((t, i) => ({
    name: t.name,
    description: t.description,
    input_schema: t.input_schema as ApiTool['input_schema'],
    ...(i === req.tools.length - 1 ? { cache_control: EPHEMERAL } : {}),
  }));
  const system: TextBlockParam[] = [{ type: 'text', text: req.system, cache_control: EPHEMERAL }];
  const messages = req.messages.map((m, i) =>
    i === req.messages.length - 1 ? withCacheBreakpoint(m) : (m as unknown as MessageParam),
  );
  return {
    model: req.model,
    max_tokens: req.maxTokens,
    system,
    messages,
    ...(tools.length > 0 ? { tools } : {}),
    stream: true,
  };
}

function withCacheBreakpoint(m: ModelMessage): MessageParam {
  const content = m.content.map((b, i) => (i === m.content.length - 1 ? { ...b, cache_control: EPHEMERAL } : b));
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
      return raw;
    default:
      return 'other';
  }
}

/** The SDK's client class, whose static members are its error classes. */
type AnthropicSdk = typeof Anthropic;

let sdkLoading: Promise<AnthropicSdk> | undefined;

/**
 * The SDK is imported on the first model turn, not at start-up: it is the largest module the
 * server has (about a third of its start-up time), and answering tools/list never needs it.
 */
function loadSdk(): Promise<AnthropicSdk> {
  sdkLoading ??= import('@anthropic-ai/sdk').then((m) => m.default);
  return sdkLoading;
}

/** Translate whatever the SDK (`Sdk`, the loaded module) threw into a ModelError. */
export function toModelError(err: unknown, Sdk: AnthropicSdk): ModelError {
  if (err instanceof ModelError) return err;
  if (err instanceof Sdk.APIUserAbortError) return new ModelError('cancelled', 'The model call was cancelled.', { cause: err });
  if (err instanceof Sdk.APIConnectionTimeoutError) return new ModelError('timeout', 'The model API timed out.', { cause: err });
  if (err instanceof Sdk.APIConnectionError) return new ModelError('connection', `Could not reach the model API: ${err.message}`, { cause: err });
  if (err instanceof Sdk.APIError) {
    const status = err.status;
    const apiMessage = apiErrorMessage(err);
    const kind =
      status === 401 || status === 403
        ? 'auth'
        : status === 429
          ? 'rate_limit'
          : status === 529 || apiErrorType(err) === 'overloaded_error'
            ? 'overloaded'
            : status !== undefined && status >= 500
              ? 'server'
              : status === undefined
                ? 'connection'
                : 'bad_request';
    return new ModelError(kind, `The model API answered ${status ?? 'with an error'}: ${apiMessage}`, { status, cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ModelError('connection', `The model stream failed: ${message}`, { cause: err });
}

function apiErrorType(err: InstanceType<typeof Anthropic.APIError>): string | undefined {
  const body = err.error as { error?: { type?: unknown } } | undefined;
  return typeof body?.error?.type === 'string' ? body.error.type : undefined;
}

function apiErrorMessage(err: InstanceType<typeof Anthropic.APIError>): string {
  const body = err.error as { error?: { message?: unknown } } | undefined;
  return typeof body?.error?.message === 'string' ? body.error.message : err.message;
}

/** A stream that broke after it started: worth restarting the turn rather than failing the run. */
function isStreamCut(err: ModelError): boolean {
  return err.kind === 'connection' || (err.kind === 'server' && err.status === undefined);
}

/** Create the Anthropic-backed ModelClient. The SDK is loaded and its client made on the first turn. */
export function createAnthropicClient(options: AnthropicClientOptions): ModelClient {
  let ready: Promise<{ Sdk: AnthropicSdk; sdk: Anthropic }> | undefined;
  const connect = (): Promise<{ Sdk: AnthropicSdk; sdk: Anthropic }> =>
    (ready ??= loadSdk().then((Sdk) => ({
      Sdk,
      sdk: new Sdk({
        apiKey: options.apiKey ?? null,
        authToken: options.authToken ?? null,
        ...(options.baseURL ? { baseURL: options.baseURL } : {}),
        maxRetries: options.maxRetries ?? 2,
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
      }),
    })));
  const restarts = options.streamRestarts ?? 2;

  async function streamOnce(sdk: Anthropic, req: ModelRequest, opts: TurnOptions): Promise<ModelResponse> {
    const stream = sdk.messages.stream(buildRequestBody(req), { signal: opts.signal });
    if (opts.onEvent) {
      const onEvent = opts.onEvent;
      stream.on('text', (delta) => onEvent({ type: 'text', text: delta }));
      stream.on('streamEvent', (event) => {
        if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
          onEvent({ type: 'tool_use', name: event.content_block.name });
        }
      });
    }
    const message = await stream.finalMessage();
    const usage: Usage = { ...emptyUsage() };
    usage.input_tokens = message.usage.input_tokens ?? 0;
    usage.output_tokens = message.usage.output_tokens ?? 0;
    usage.cache_creation_input_tokens = message.usage.cache_creation_input_tokens ?? 0;
    usage.cache_read_input_tokens = message.usage.cache_read_input_tokens ?? 0;
    return {
      content: message.content as unknown as ContentBlock[],
      stopReason: mapStopReason(message.stop_reason),
      rawStopReason: message.stop_reason ?? null,
      usage,
      model: message.model,
    };
  }

  return {
    backend: 'anthropic',
    async turn(req, opts) {
      const { Sdk, sdk } = await connect().catch((err: unknown) => {
        ready = undefined;
        throw new ModelError('connection', `Could not set up the Anthropic SDK: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      });
      for (let attempt = 0; ; attempt++) {
        try {
          return await streamOnce(sdk, req, opts);
        } catch (err) {
          const error = opts.signal.aborted ? new ModelError('cancelled', 'The model call was cancelled.', { cause: err }) : toModelError(err, Sdk);
          if (attempt < restarts && isStreamCut(error)) continue;
          throw error;
        }
      }
    },
  };
}
