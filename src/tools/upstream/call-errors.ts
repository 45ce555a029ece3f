/**
 * Upstream call failures that read badly as the SDK reports them, as errors that say what
 * happened and what the model can do.
 */
import { ProtocolError, ProtocolErrorCode, SdkError, SdkErrorCode, STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/client';

/** The SDK's stdio read buffer's error for a message over its limit. */
const OVERSIZE_MESSAGE = /ReadBuffer exceeded maximum size/;

/** True for the transport error the SDK's stdio client raises before it closes on an oversized message. */
export function isOversizeError(error: Error): boolean {
  return OVERSIZE_MESSAGE.test(error.message);
}

/** An upstream message over the stdio client's size limit; the connection was closed. */
export class UpstreamMessageTooLargeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** An upstream call that needs input (a person's answer, sampling, roots), which we do not relay. */
export class UpstreamInputRequiredError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Requests an `input_required` result may embed, each answered by a client capability we lack. */
const INPUT_REQUEST_METHODS: ReadonlySet<unknown> = new Set(['elicitation/create', 'sampling/createMessage', 'roots/list']);

/** The SDK's error for an input request of an `input_required` round that no handler answers. */
function isUnansweredInputRequest(err: unknown): err is SdkError {
  return err instanceof SdkError && err.code === SdkErrorCode.CapabilityNotSupported && typeof err.data === 'object' && err.data !== null && INPUT_REQUEST_METHODS.has((err.data as { method?: unknown }).method);
}

/**
 * Errors the SDK raises for cases that read badly as they are, made clear:
 * - one message over the stdio client's read buffer (10 MB): the SDK closes the connection and
 *   stops the child, so the call fails as "Connection closed", which reads like a crash;
 * - a call that needs input: a 2026 SDK server refuses it up front because we declare no
 *   elicitation/sampling/roots capability (-32021); another 2026 server may answer
 *   `input_required` with input requests, which find no handler here.
 * @returns the clearer error, or `err` unchanged.
 */
export function clarifyFailure(err: unknown, oversize: Error | undefined): unknown {
  if (err instanceof SdkError && err.code === SdkErrorCode.ConnectionClosed && oversize) {
    return new UpstreamMessageTooLargeError(
      `the server sent a message larger than the ${STDIO_DEFAULT_MAX_BUFFER_SIZE / (1024 * 1024)} MB the stdio client accepts (the result is too big), so the connection was closed; it is reopened on the next call. Ask the tool for less, e.g. a narrower query or a page.`,
      { cause: oversize },
    );
  }
  const asksForInput = isUnansweredInputRequest(err) || (err instanceof ProtocolError && err.code === ProtocolErrorCode.MissingRequiredClientCapability);
  if (asksForInput) {
    return new UpstreamInputRequiredError(
      `the tool asked for input (a person's answer, sampling or roots) before it would finish, and agents-mcp does not relay such requests to upstream servers, so the tool did not run to the end. Go on without it, or use a tool that needs no confirmation. (${err.message})`,
      { cause: err },
    );
  }
  return err;
}
