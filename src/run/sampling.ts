/**
 * MCP sampling behind the ModelClient seam: each turn becomes a `sampling/createMessage` to the
 * MCP client that called the agent, so the agent runs on that client's model and needs no API
 * key of ours. The transport is injected (`createMessage`), so run/ knows nothing of the server.
 */
import { ErrorCode, McpError, type CreateMessageRequestParams, type CreateMessageResult, type CreateMessageResultWithTools } from '@modelcontextprotocol/sdk/types.js';
import { ModelError, type ModelClient, type ModelEvent, type ModelResponse, type TextBlock, type ToolUseBlock } from './model.js';
import { fromSamplingResult, toSamplingParams } from './sampling-wire.js';

/** How long one sampling request may take: a human may have to approve it first. */
export const DEFAULT_SAMPLING_TIMEOUT_MSEC = 10 * 60_000;

/**
 * Send one `sampling/createMessage` to the calling client. Aborting `signal` must cancel the
 * request (the MCP SDK then sends `notifications/cancelled`).
 */
export type CreateMessage = (
  params: CreateMessageRequestParams,
  options: { signal: AbortSignal; timeoutMs: number },
) => Promise<CreateMessageResult | CreateMessageResultWithTools>;

/** What a calling MCP session offers for sampling; absent when it declared no `sampling`. */
export interface SamplingAccess {
  /** The client declared `sampling.tools` (MCP 2025-11-25): requests may carry tools. */
  tools: boolean;
  createMessage: CreateMessage;
  /** Name and version the client gave at initialization, for messages and logs. */
  clientName?: string;
}

export interface SamplingClientOptions extends SamplingAccess {
  /** Per-request timeout (default {@link DEFAULT_SAMPLING_TIMEOUT_MSEC}). */
  timeoutMs?: number;
}

/** The SDK prefixes `MCP error <code>: ` at each hop; say it once. */
function mcpErrorText(err: McpError): string {
  return err.message.replace(/^(MCP error -?\d+: )+/, '');
}

/**
 * Translate a failed sampling request into a ModelError that says what happened; `client`
 * names the MCP client in the message.
 */
export function toSamplingError(err: unknown, signal: AbortSignal, client = 'The MCP client'): ModelError {
  if (err instanceof ModelError) return err;
  if (signal.aborted) return new ModelError('cancelled', 'The sampling request was cancelled.', { cause: err });
  if (err instanceof McpError) {
    const detail = `MCP error ${err.code}: ${mcpErrorText(err)}`;
    if (err.code === ErrorCode.RequestTimeout) {
      return new ModelError('sampling_failed', `${client} did not answer the sampling request in time (${detail}).`, { cause: err });
    }
    if (err.code === ErrorCode.ConnectionClosed) {
      return new ModelError('sampling_failed', `${client} disconnected during a sampling request (${detail}).`, { cause: err });
    }
    return new ModelError('sampling_failed', `${client} refused or failed the sampling request (${detail}).`, { cause: err });
  }
  const message = err instanceof Error ? err.message : String(err);
  return new ModelError('sampling_failed', `The sampling request to ${client.replace(/^The /, 'the ')} failed: ${message}`, { cause: err });
}

/** Sampling has no stream: report a turn's text and tool calls once it is complete. */
function emitEvents(response: ModelResponse, onEvent: ((event: ModelEvent) => void) | undefined): void {
  if (!onEvent) return;
  for (const block of response.content) {
    if (block.type === 'text' && (block as TextBlock).text) onEvent({ type: 'text', text: (block as TextBlock).text });
    if (block.type === 'tool_use') onEvent({ type: 'tool_use', name: (block as ToolUseBlock).name });
  }
}

/**
 * Create a ModelClient that runs each turn on the calling MCP client's model. A turn that
 * offers tools to a client without `sampling.tools` fails with `sampling_unsupported`
 * before anything is sent; agents without tools still run on such a client.
 */
export function createSamplingClient(options: SamplingClientOptions): ModelClient {
  const timeoutMs = options.timeoutMs ?? DEFAULT_SAMPLING_TIMEOUT_MSEC;
  const client = options.clientName ? `The MCP client (${options.clientName})` : 'The MCP client';
  return {
    backend: 'sampling',
    async turn(req, opts) {
      if (req.tools.length > 0 && !options.tools) {
        throw new ModelError(
          'sampling_unsupported',
          `${client} supports sampling but not sampling with tools: it did not declare the sampling.tools capability (MCP 2025-11-25), and this agent needs tools (${req.tools.map((t) => t.name).join(', ')}). Agents without tools can still run on it.`,
        );
      }
      if (opts.signal.aborted) throw new ModelError('cancelled', 'The sampling request was cancelled.');
      let result: CreateMessageResult | CreateMessageResultWithTools;
      try {
        result = await options.createMessage(toSamplingParams(req), { signal: opts.signal, timeoutMs });
      } catch (err) {
        throw toSamplingError(err, opts.signal, client);
      }
      const response = fromSamplingResult(result);
      emitEvents(response, opts.onEvent);
      return response;
    },
  };
}
