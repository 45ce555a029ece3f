/**
 * The Anthropic Messages API behind the ModelClient seam: streams each turn through
 * @anthropic-ai/sdk (the body with its prompt-cache breakpoints: anthropic-wire.ts), restarts a
 * cut stream, and translates SDK errors into ModelErrors that say what to do.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type { Logger as SdkLogger } from '@anthropic-ai/sdk/client';
import {
  ModelError,
  type ContentBlock,
  type ModelClient,
  type ModelRequest,
  type ModelResponse,
  type TurnOptions,
} from './model.js';
import { addUsage, emptyUsage } from './usage.js';
import type { Logger } from '../log.js';
import { createIdleWatchdog } from './idle-watchdog.js';
import { buildRequestBody, mapStopReason, toUsage } from './anthropic-wire.js';
import { createRedactor } from '../redact.js';

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
  const message = createRedactor(secrets).text(error.message);
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
