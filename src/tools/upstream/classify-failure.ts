/**
 * The SDK's errors of an upstream call as {@link UpstreamCallError}s, made clear where the SDK's
 * own reading misleads. Loaded with the SDK client, on the first connection.
 */
import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode, STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/client';
import { UpstreamCallError } from './call-errors.js';

/** The SDK's stdio read buffer's error for a message over its limit. */
const OVERSIZE_MESSAGE = /ReadBuffer exceeded maximum size/;

/** Requests an `input_required` result may embed, each answered by a client capability we lack. */
const INPUT_REQUEST_METHODS: ReadonlySet<unknown> = new Set(['elicitation/create', 'sampling/createMessage', 'roots/list']);

/** True for the transport error the SDK's stdio client raises before it closes on an oversized message. */
export function isOversizeError(error: Error): boolean {
  return OVERSIZE_MESSAGE.test(error.message);
}

/** The SDK's error for an input request of an `input_required` round that no handler answers. */
function isUnansweredInputRequest(err: SdkError): boolean {
  const data = err.data;
  return err.code === SdkErrorCode.CapabilityNotSupported && typeof data === 'object' && data !== null && INPUT_REQUEST_METHODS.has((data as { method?: unknown }).method);
}

function inputRequired(err: Error): UpstreamCallError {
  return new UpstreamCallError(
    'input_required',
    `the tool asked for input (a person's answer, sampling or roots) before it would finish, and agents-mcp does not relay such requests to upstream servers, so the tool did not run to the end. Go on without it, or use a tool that needs no confirmation. (${err.message})`,
    { cause: err },
  );
}

/**
 * Classify a failed call. Two cases read badly as the SDK reports them:
 * - one message over the stdio client's read buffer (10 MB): the SDK closes the connection and
 *   stops the child, so the call fails as "Connection closed", which reads like a crash;
 * - a call that needs input: a 2026 SDK server refuses it up front because we declare no
 *   elicitation/sampling/roots capability (-32021); another 2026 server may answer
 *   `input_required` with input requests, which find no handler here.
 * @param oversize the transport's oversize error, when one came before the connection closed.
 * @returns an {@link UpstreamCallError}, or `err` unchanged when it is none of the known kinds.
 */
export function classifyFailure(err: unknown, oversize: Error | undefined): unknown {
  if (err instanceof SdkError) {
    if (err.code === SdkErrorCode.ConnectionClosed && oversize) {
      return new UpstreamCallError(
        'too_large',
        `the server sent a message larger than the ${STDIO_DEFAULT_MAX_BUFFER_SIZE / (1024 * 1024)} MB the stdio client accepts (the result is too big), so the connection was closed; it is reopened on the next call. Ask the tool for less, e.g. a narrower query or a page.`,
        { cause: oversize },
      );
    }
    if (err.code === SdkErrorCode.ConnectionClosed) return new UpstreamCallError('closed', err.message, { cause: err });
    if (err.code === SdkErrorCode.RequestTimeout) return new UpstreamCallError('timeout', err.message, { cause: err });
    if (isUnansweredInputRequest(err)) return inputRequired(err);
    return err;
  }
  if (err instanceof ProtocolError) {
    if (err.code === ProtocolErrorCode.MissingRequiredClientCapability) return inputRequired(err);
    return new UpstreamCallError('refused', err.message, { cause: err });
  }
  return err;
}
