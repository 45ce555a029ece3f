/**
 * What the Anthropic SDK throws → a ModelError that names the cause and what to do. The SDK
 * has retried 408/409/429/5xx and connection errors by then; what reaches this is final,
 * except a stream that broke mid-answer, which the client restarts (see {@link isRestartable}).
 * @see https://platform.claude.com/docs/en/api/errors
 */
import Anthropic from '@anthropic-ai/sdk';
import { ModelError, type ModelErrorKind } from './model.js';
import type { Usage } from './usage.js';

type ApiError = InstanceType<typeof Anthropic.APIError>;

/** The API's error `type` → our kind: each documented type has its own advice. */
const KIND_BY_ERROR_TYPE: Record<string, ModelErrorKind> = {
  invalid_request_error: 'bad_request',
  authentication_error: 'auth',
  permission_error: 'permission',
  billing_error: 'billing',
  not_found_error: 'not_found',
  request_too_large: 'request_too_large',
  rate_limit_error: 'rate_limit',
  api_error: 'server',
  timeout_error: 'timeout',
  overloaded_error: 'overloaded',
};

/** The kind of an HTTP error: by its body's `type` when known, else by status (a proxy may send none). */
function kindOfStatus(status: number, type: string | undefined): ModelErrorKind {
  const byType = type === undefined ? undefined : KIND_BY_ERROR_TYPE[type];
  if (byType) return byType;
  switch (status) {
    case 401:
      return 'auth';
    case 402:
      return 'billing';
    case 403:
      return 'permission';
    case 404:
      return 'not_found';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit';
    case 529:
      return 'overloaded';
    default:
      return status >= 500 ? 'server' : 'bad_request';
  }
}

/** Longest `retry-after` a restart waits for; a longer one fails the turn instead (the note says how long). */
export const MAX_RETRY_AFTER_MSEC = 60_000;

/** How long the API asked to wait before the next attempt, in ms, when it said so. */
export function retryAfterMs(err: unknown): number | undefined {
  const headers = err instanceof Anthropic.APIError ? err.headers : undefined;
  if (!headers) return undefined;
  const ms = Number(headers.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers.get('retry-after');
  if (raw === null) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return seconds > 0 ? seconds * 1000 : undefined;
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - Date.now()) : undefined;
}

function apiErrorType(err: ApiError): string | undefined {
  const body = err.error as { error?: { type?: unknown } } | undefined;
  return typeof body?.error?.type === 'string' ? body.error.type : undefined;
}

function apiErrorMessage(err: ApiError): string {
  const body = err.error as { error?: { message?: unknown } } | undefined;
  return typeof body?.error?.message === 'string' ? body.error.message : err.message;
}

/** " (the API asks to wait 30 s)" when a 429/529 said how long to back off. */
function retryAfterNote(err: ApiError): string {
  const seconds = Number(err.headers?.get('retry-after'));
  return Number.isFinite(seconds) && seconds > 0 ? ` (the API asks to wait ${seconds} s before retrying)` : '';
}

/**
 * Classify whatever the SDK threw. `usage` is what the failed call had consumed, if known.
 * A plain AnthropicError is the SDK's wrapper for a broken stream: wrapping a SyntaxError it
 * is a response we could not parse (`bad_response`), otherwise a dropped connection
 * (`stream_cut`, e.g. undici's "terminated").
 */
export function toModelError(err: unknown, usage?: Usage, model?: string): ModelError {
  const extra = usage ? { usage } : {};
  if (err instanceof ModelError) return err;
  if (err instanceof Anthropic.APIUserAbortError) return new ModelError('cancelled', 'The model call was cancelled.', { cause: err, ...extra });
  if (err instanceof Anthropic.APIConnectionTimeoutError) return new ModelError('timeout', 'The model API timed out.', { cause: err, ...extra });
  if (err instanceof Anthropic.APIConnectionError) {
    return new ModelError('connection', `Could not reach the model API: ${err.message}`, { cause: err, ...extra });
  }
  if (err instanceof Anthropic.APIError) {
    const type = apiErrorType(err);
    const message = apiErrorMessage(err);
    if (err.status === undefined) {
      const kind = (type && KIND_BY_ERROR_TYPE[type]) || 'server';
      return new ModelError(kind, `The model API failed mid-answer (${type ?? 'error'}): ${message}`, { cause: err, ...extra });
    }
    const kind = kindOfStatus(err.status, type);
    const note = kind === 'rate_limit' || kind === 'overloaded' ? retryAfterNote(err) : '';
    const subject = kind === 'not_found' && model ? ` for model "${model}"` : '';
    return new ModelError(kind, `The model API answered ${err.status} (${type ?? 'error'})${subject}: ${message}${note}`, { status: err.status, cause: err, ...extra });
  }
  if (err instanceof Anthropic.AnthropicError) {
    if (err.cause instanceof SyntaxError) {
      return new ModelError('bad_response', `The model API sent a response that is not valid JSON: ${err.message}`, { cause: err, ...extra });
    }
    // The SDK trips over events it cannot place (a delta before its block started, …); a dropped
    // connection says "terminated" instead.
    if (/^Cannot read properties|^Unexpected event order/.test(err.message)) {
      return new ModelError('bad_response', `The model API sent stream events out of order: ${err.message}`, { cause: err, ...extra });
    }
    return new ModelError('stream_cut', `The connection to the model API dropped mid-answer: ${err.message}`, { cause: err, ...extra });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ModelError('connection', `The model stream failed: ${message}`, { cause: err, ...extra });
}

/**
 * A failure after the stream started, which the SDK does not retry: a dropped connection, or
 * an `error` event (overloaded, internal error) inside a 200 stream. Restarting the turn is
 * worth it; anything else would fail the same way again.
 */
export function isRestartable(err: ModelError): boolean {
  // A garbled stream (broken JSON, events out of order) is as likely a passing fault of the wire
  // or a proxy as a cut one; the restarts are bounded, so trying again costs little.
  if (err.kind === 'stream_cut' || err.kind === 'bad_response') return true;
  return err.status === undefined && (err.kind === 'overloaded' || err.kind === 'server');
}
