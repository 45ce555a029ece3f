/**
 * The Anthropic Messages API behind the ModelClient seam: streams each turn through
 * @anthropic-ai/sdk, places prompt-cache breakpoints, and translates SDK errors into
 * ModelErrors that say what to do.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Logger as SdkLogger } from '@anthropic-ai/sdk/client';
import type { MessageCreateParamsStreaming, MessageParam, TextBlockParam, Tool as ApiTool, ToolUnion } from '@anthropic-ai/sdk/resources/messages';
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
import { addUsage, emptyUsage, type Usage } from './usage.js';
import type { Logger } from '../log.js';
import { createIdleWatchdog } from './idle-watchdog.js';
import { redactSecrets } from './redact-secrets.js';

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
  /**
   * Longest silence between streamed events once a response has begun, in ms; the turn then
   * fails as a `timeout` (default: `timeoutMs`, else {@link DEFAULT_STREAM_IDLE_TIMEOUT_MSEC}).
   */
  idleTimeoutMs?: number;
  /**
   * First wait before a stream that broke mid-way is restarted, in ms; it doubles per restart
   * up to {@link MAX_RESTART_BACKOFF_MSEC}, and a `retry-after` from the API replaces it
   * (default {@link DEFAULT_RESTART_BACKOFF_MSEC}).
   */
  restartBackoffMs?: number;
  /** How the client waits between restarts; injected by tests. Default: a timer that the turn's signal cancels. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /**
   * Where the SDK's own log lines go (`ANTHROPIC_LOG`). Default: the SDK's console, which
   * writes info and debug to stdout — never acceptable under stdio, so the server passes its logger.
   */
  logger?: Logger;
}

/** Default {@link AnthropicClientOptions.restartBackoffMs}: the SDK's own first retry delay. */
export const DEFAULT_RESTART_BACKOFF_MSEC = 500;
/** Longest backoff between restarts (the SDK caps its retries at 8 s too). */
export const MAX_RESTART_BACKOFF_MSEC = 8_000;

/** Default {@link AnthropicClientOptions.idleTimeoutMs}: the SDK's own request timeout, 10 minutes. */
export const DEFAULT_STREAM_IDLE_TIMEOUT_MSEC = 10 * 60 * 1000;

/** True when the environment or options hold something the API will accept as a credential. */
export function hasCredentials(c: AnthropicCredentials): boolean {
  return Boolean(c.apiKey || c.authToken);
}

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
function toUsage(u: {
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

/** Wait `ms`, or less when `signal` aborts first. */
function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}

/** The SDK's logger interface over ours, so its lines are JSON on stderr with secrets masked. */
function toSdkLogger(logger: Logger): SdkLogger {
  const log = logger.child({ component: 'anthropic-sdk' });
  return {
    error: (message, ...rest) => log.error({ details: rest }, message),
    warn: (message, ...rest) => log.warn({ details: rest }, message),
    info: (message, ...rest) => log.info({ details: rest }, message),
    debug: (message, ...rest) => log.debug({ details: rest }, message),
  };
}

/** The error with any credential in its message masked: an API or proxy may echo the key back. */
function withoutSecrets(error: ModelError, secrets: readonly string[]): ModelError {
  const message = redactSecrets(error.message, secrets);
  return message === error.message ? error : new ModelError(error.kind, message, { status: error.status, cause: error.cause, ...(error.usage ? { usage: error.usage } : {}) });
}

/** The SDK client and the error mapping, loaded together on first use. */
interface Loaded {
  sdk: Anthropic;
  errors: typeof import('./anthropic-errors.js');
}

/** Create the Anthropic-backed ModelClient. */
export function createAnthropicClient(options: AnthropicClientOptions): ModelClient {
  // The SDK (and the error mapping that needs its classes) is imported on the first model turn,
  // not at start-up: it is the largest module the server has, and tools/list never needs it.
  let ready: Promise<Loaded> | undefined;
  const load = (): Promise<Loaded> =>
    (ready ??= Promise.all([import('@anthropic-ai/sdk'), import('./anthropic-errors.js')]).then(([m, errors]) => ({
      errors,
      sdk: new m.default({
        apiKey: options.apiKey ?? null,
        // The SDK refuses both at once (every run would fail); with both set it would itself
        // read the key from the environment first, so the key wins here too.
        authToken: options.apiKey ? null : (options.authToken ?? null),
        ...(options.baseURL ? { baseURL: options.baseURL } : {}),
        maxRetries: options.maxRetries ?? 2,
        ...(options.timeoutMs ? { timeout: options.timeoutMs } : {}),
        ...(options.logger ? { logger: toSdkLogger(options.logger) } : {}),
      }),
    })));
  const restarts = options.streamRestarts ?? 2;
  const backoffMs = options.restartBackoffMs ?? DEFAULT_RESTART_BACKOFF_MSEC;
  const sleep = options.sleep ?? sleepUnlessAborted;
  const idleMs = options.idleTimeoutMs ?? options.timeoutMs ?? DEFAULT_STREAM_IDLE_TIMEOUT_MSEC;
  const secrets = [options.apiKey, options.authToken].filter((s): s is string => Boolean(s));

  async function streamOnce({ sdk, errors }: Loaded, req: ModelRequest, opts: TurnOptions): Promise<ModelResponse> {
    const watchdog = createIdleWatchdog(opts.signal, idleMs);
    try {
      return await streamWatched({ sdk, errors }, req, opts, watchdog.signal, () => watchdog.kick());
    } catch (err) {
      if (!watchdog.fired) throw err;
      throw new ModelError('timeout', `The model API stream went silent for ${Math.round(idleMs / 1000)} s in the middle of a response.`, { cause: err });
    } finally {
      watchdog.stop();
    }
  }

  async function streamWatched({ sdk, errors }: Loaded, req: ModelRequest, opts: TurnOptions, signal: AbortSignal, kick: () => void): Promise<ModelResponse> {
    const stream = sdk.messages.stream(buildRequestBody(req), { signal });
    // Silence counts from the response headers on; before them the SDK's timeout applies.
    stream.on('connect', kick);
    stream.on('streamEvent', kick);
    if (opts.onEvent) {
      const onEvent = opts.onEvent;
      stream.on('text', (delta) => onEvent({ type: 'text', text: delta }));
      stream.on('streamEvent', (event) => {
        if (event.type === 'content_block_start' && event.content_block.type === 'tool_use') {
          onEvent({ type: 'tool_use', name: event.content_block.name });
        }
      });
    }
    let message;
    try {
      message = await stream.finalMessage();
    } catch (err) {
      // What a broken or cancelled stream had used by then (message_start carries the input).
      const partial = stream.currentMessage?.usage;
      const usage = partial ? toUsage(partial) : undefined;
      if (opts.signal.aborted) throw new ModelError('cancelled', 'The model call was cancelled.', { cause: err, ...(usage ? { usage } : {}) });
      throw errors.toModelError(err, usage, req.model);
    }
    const details = message.stop_details;
    return {
      content: message.content as unknown as ContentBlock[],
      stopReason: mapStopReason(message.stop_reason),
      rawStopReason: message.stop_reason ?? null,
      ...(message.stop_reason === 'refusal' ? { refusal: { category: details?.category ?? null, explanation: details?.explanation ?? null } } : {}),
      usage: toUsage(message.usage),
      model: message.model,
    };
  }

  return {
    backend: 'anthropic',
    runsServerTools: true,
    async turn(req, opts) {
      // Tokens of attempts that broke off are billed too; they are added to the turn's usage.
      let spent = emptyUsage();
      const loaded = await load().catch((err: unknown) => {
        ready = undefined;
        throw new ModelError('connection', `Could not load the Anthropic SDK: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
      });
      for (let attempt = 0; ; attempt++) {
        try {
          const response = await streamOnce(loaded, req, opts);
          return { ...response, usage: addUsage(spent, response.usage) };
        } catch (err) {
          const error = loaded.errors.toModelError(err, undefined, req.model);
          if (error.usage) spent = addUsage(spent, error.usage);
          // Like the SDK between its own attempts: back off, or wait as long as the API asked.
          const asked = loaded.errors.retryAfterMs(error.cause);
          const wait = asked ?? Math.min(backoffMs * 2 ** attempt, MAX_RESTART_BACKOFF_MSEC);
          if (attempt < restarts && loaded.errors.isRestartable(error) && !opts.signal.aborted && wait <= loaded.errors.MAX_RETRY_AFTER_MSEC) {
            await sleep(wait, opts.signal);
            if (opts.signal.aborted) throw new ModelError('cancelled', 'The model call was cancelled.', { cause: err, usage: spent });
            opts.onEvent?.({ type: 'restart' });
            continue;
          }
          throw withoutSecrets(new ModelError(error.kind, error.message, { cause: error.cause, usage: spent, ...(error.status !== undefined ? { status: error.status } : {}) }), secrets);
        }
      }
    },
  };
}
