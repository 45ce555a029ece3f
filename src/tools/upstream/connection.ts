/**
 * One live connection to an upstream MCP server: spawn (stdio) or dial (HTTP/SSE), settle the
 * protocol era (2026-07-28 through `server/discover`, else the 2025 `initialize` handshake), list
 * tools, call them. The rest of the code sees the small {@link UpstreamConnection} interface, never
 * the SDK client (v2, `@modelcontextprotocol/client`).
 */
import type { CallToolResult, ProtocolEra, ReadResourceResult, Resource } from '@modelcontextprotocol/client';
import type { JsonSchemaObject, ToolProgress } from '../tool.js';
import type { OpenedClient } from './open-client.js';
import type { UpstreamServerConfig } from './server-config.js';
import { createStderrTail } from './stderr-tail.js';

/** Default wait for a server to start and answer the era probe, the handshake and tools/list. */
export const DEFAULT_CONNECT_TIMEOUT_MSEC = 60_000;
/**
 * Longest wait for an answer to the `server/discover` probe. A 2025 server built on an MCP SDK
 * answers it at once (method not found); one that ignores it is taken for a 2025 server after
 * this wait (stdio only: over HTTP a silent probe is an outage and fails the start). Never more
 * than half the connect timeout, so the `initialize` fallback still fits in it.
 */
export const DEFAULT_PROBE_TIMEOUT_MSEC = 10_000;
/**
 * Default limit of one upstream tool call without progress. Long: an upstream may itself run an
 * agent for minutes. Progress notifications restart it; cancellation comes through the run's signal.
 */
export const DEFAULT_CALL_TIMEOUT_MSEC = 30 * 60_000;

/** An upstream tool as listed by its server. */
export interface UpstreamToolInfo {
  name: string;
  description: string;
  inputSchema: JsonSchemaObject;
  readOnly: boolean;
  /** The tool can only run as an MCP task, which this client does not do. */
  taskRequired: boolean;
}

/** Options of one call. */
export interface UpstreamCallOptions {
  signal: AbortSignal;
  /** Sent as the request's `_meta` (the delegation chain). */
  meta?: Record<string, unknown>;
  onProgress?: (progress: ToolProgress) => void;
}

/** A connected upstream server. */
export interface UpstreamConnection {
  readonly name: string;
  /** The protocol era the server speaks: `modern` (2026-07-28) or `legacy` (2024-10-07 … 2025-11-25). */
  readonly era: ProtocolEra;
  /** The server offers resources. */
  readonly hasResources: boolean;
  /** True once the connection is gone (the server exited, or we closed it). */
  readonly closed: boolean;
  /** The child's pid, for stdio servers. */
  readonly pid: number | undefined;
  /** Its tools; cached until the server says its list changed. */
  listTools(): Promise<UpstreamToolInfo[]>;
  callTool(name: string, args: Record<string, unknown>, options: UpstreamCallOptions): Promise<CallToolResult>;
  listResources(signal: AbortSignal): Promise<Resource[]>;
  readResource(uri: string, signal: AbortSignal): Promise<ReadResourceResult>;
  /** The last lines the server wrote to stderr (stdio only). */
  stderrTail(): string;
  close(): Promise<void>;
}

/** A server that could not be started or initialized; the message includes its stderr tail. */
export class UpstreamStartError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** What {@link connectUpstream} needs. */
export interface ConnectOptions {
  name: string;
  config: UpstreamServerConfig;
  /** Our name and version, sent as clientInfo. */
  clientInfo: { name: string; version: string };
  timeoutMs?: number;
  callTimeoutMs?: number;
  /** Longest wait for the era probe; default {@link DEFAULT_PROBE_TIMEOUT_MSEC}. */
  probeTimeoutMs?: number;
  /** Called once when the connection ends for any reason. */
  onClose?: () => void;
}

function toToolInfo(tool: {
  name: string;
  description?: string | undefined;
  inputSchema: { type: 'object'; [key: string]: unknown };
  annotations?: { readOnlyHint?: boolean | undefined } | undefined;
  execution?: { taskSupport?: string | undefined } | undefined;
}): UpstreamToolInfo {
  return {
    name: tool.name,
    description: tool.description ?? '',
    inputSchema: { ...tool.inputSchema, type: 'object' },
    readOnly: tool.annotations?.readOnlyHint === true,
    taskRequired: tool.execution?.taskSupport === 'required',
  };
}

/**
 * The SDK client and what reads its errors, loaded on the first connection: agents-mcp starts
 * (and serves runs that need no upstream server) without parsing the client SDK.
 */
async function loadClientSdk(): Promise<typeof import('./open-client.js') & typeof import('./classify-failure.js')> {
  const [open, classify] = await Promise.all([import('./open-client.js'), import('./classify-failure.js')]);
  return { ...open, ...classify };
}

/**
 * Start or dial the server, settle the protocol era (see `openClient`), and list its tools once
 * (so a server that cannot list them fails here, not in the middle of a run).
 * @throws UpstreamStartError with the reason and, for stdio servers, the tail of their stderr.
 */
export async function connectUpstream(options: ConnectOptions): Promise<UpstreamConnection> {
  const { openClient, classifyFailure, isOversizeError } = await loadClientSdk();
  const timeout = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MSEC;
  const callTimeout = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MSEC;
  const stderr = createStderrTail();
  const withTail = (message: string): string => (stderr.text().trim() ? `${message}\n--- stderr (last lines) ---\n${stderr.text().trimEnd()}` : message);
  let tools: Promise<UpstreamToolInfo[]> | undefined;
  // An oversized message is remembered: it is why the SDK closed the connection (the rest of that
  // message, still arriving, then fails as JSON and must not hide it). Other transport errors also
  // surface as failed requests or a close.
  let oversize: Error | undefined;

  // One deadline for the whole start (probe, handshake and the first tools/list), so a run waits at most `timeout`.
  const deadline = AbortSignal.timeout(timeout);
  let opened: OpenedClient | undefined;
  try {
    opened = await openClient({
      config: options.config,
      clientInfo: options.clientInfo,
      timeoutMs: timeout,
      // Never more than half the start, so the `initialize` fallback still fits in it.
      probeTimeoutMs: Math.min(options.probeTimeoutMs ?? DEFAULT_PROBE_TIMEOUT_MSEC, timeout / 2),
      signal: deadline,
      stderr,
      onToolsChanged: () => {
        tools = undefined;
      },
      onError: (error) => {
        if (isOversizeError(error)) oversize ??= error;
      },
    });
    // Without a cursor the SDK walks every page (at most its listMaxPages).
    tools = opened.client.listTools(undefined, { timeout, signal: deadline }).then((r) => r.tools.map(toToolInfo));
    await tools;
  } catch (err) {
    await opened?.client.close().catch(() => undefined);
    const reason = deadline.aborted ? `it did not start and list its tools within ${timeout / 1000} s` : err instanceof Error ? err.message : String(err);
    throw new UpstreamStartError(withTail(`could not start upstream MCP server "${options.name}": ${reason}`), { cause: err });
  }
  const { client, pid } = opened;
  let closed = false;
  client.onclose = () => {
    if (closed) return;
    closed = true;
    options.onClose?.();
  };
  const listTools = async (): Promise<UpstreamToolInfo[]> => (await client.listTools(undefined, { timeout })).tools.map(toToolInfo);
  const hasResources = client.getServerCapabilities()?.resources !== undefined;

  return {
    name: options.name,
    era: client.getProtocolEra() ?? 'legacy',
    hasResources,
    get closed() {
      return closed;
    },
    pid,
    listTools() {
      tools ??= listTools();
      // A failed listing is not cached: the next run asks again.
      return tools.catch((err: unknown) => {
        tools = undefined;
        throw err;
      });
    },
    async callTool(name, args, call) {
      const result = await client
        .callTool(
          { name, arguments: args, ...(call.meta ? { _meta: call.meta } : {}) },
          {
            signal: call.signal,
            timeout: callTimeout,
            resetTimeoutOnProgress: true,
            ...(call.onProgress
              ? {
                  onprogress: (p: { progress: number; total?: number; message?: string }) =>
                    call.onProgress?.({ progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message !== undefined ? { message: p.message } : {}) }),
                }
              : {}),
          },
        )
        .catch((err: unknown) => {
          throw classifyFailure(err, oversize);
        });
      // Servers of the 2024-10-07 protocol answer with `toolResult` instead of content.
      if ('toolResult' in result) return { content: [{ type: 'text', text: JSON.stringify(result.toolResult) }] };
      return result;
    },
    async listResources(signal) {
      const result = await client.listResources(undefined, { signal, timeout }).catch((err: unknown) => {
        throw classifyFailure(err, oversize);
      });
      return result.resources;
    },
    readResource(uri, signal) {
      return client.readResource({ uri }, { signal, timeout }).catch((err: unknown) => {
        throw classifyFailure(err, oversize);
      });
    },
    stderrTail: () => stderr.text(),
    async close() {
      closed = true;
      await client.close().catch(() => undefined);
    },
  };
}
