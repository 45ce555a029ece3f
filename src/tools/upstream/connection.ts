/**
 * One live connection to an upstream MCP server: spawn (stdio) or dial (HTTP/SSE), initialize,
 * list tools, call them. The rest of the code sees the small {@link UpstreamConnection}
 * interface, never the SDK client.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { STDIO_DEFAULT_MAX_BUFFER_SIZE } from '@modelcontextprotocol/sdk/shared/stdio.js';
import {
  ErrorCode,
  McpError,
  ToolListChangedNotificationSchema,
  type CallToolResult,
  type ReadResourceResult,
  type Resource,
} from '@modelcontextprotocol/sdk/types.js';
import type { JsonSchemaObject, ToolProgress } from '../tool.js';
import type { UpstreamServerConfig } from './server-config.js';

/** How much of a child's stderr is kept for error reports, in characters. */
export const STDERR_TAIL_CHARS = 4096;
/** Default wait for a server to start and answer initialize and tools/list. */
export const DEFAULT_CONNECT_TIMEOUT_MSEC = 60_000;
/**
 * Default limit of one upstream tool call without progress. Long: an upstream may itself run an
 * agent for minutes. Progress notifications restart it; cancellation comes through the run's signal.
 */
export const DEFAULT_CALL_TIMEOUT_MSEC = 30 * 60_000;
/** Most pages of tools/list or resources/list read from one server (a bound on a misbehaving server). */
const MAX_LIST_PAGES = 50;

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
  /** Called once when the connection ends for any reason. */
  onClose?: () => void;
}

function createTransport(config: UpstreamServerConfig): { transport: Transport; stdio?: StdioClientTransport } {
  if (config.type === 'stdio') {
    const stdio = new StdioClientTransport({
      command: config.command,
      args: config.args,
      // Allow-listed: the SDK's safe defaults (HOME, PATH, …) plus what the config sets, never our secrets.
      env: { ...getDefaultEnvironment(), ...config.env },
      ...(config.cwd !== undefined ? { cwd: config.cwd } : {}),
      stderr: 'pipe',
    });
    return { transport: stdio, stdio };
  }
  const requestInit = { headers: config.headers };
  const url = new URL(config.url);
  return { transport: config.type === 'sse' ? new SSEClientTransport(url, { requestInit }) : new StreamableHTTPClientTransport(url, { requestInit }) };
}

function keepTail(tail: string, chunk: string): string {
  const next = tail + chunk;
  return next.length > STDERR_TAIL_CHARS ? next.slice(next.length - STDERR_TAIL_CHARS) : next;
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

/** The SDK's stdio read buffer's error for a message over its limit. */
const OVERSIZE_MESSAGE = /ReadBuffer exceeded maximum size/;

/**
 * The SDK's stdio client closes the connection (and stops the child) when one message exceeds its
 * read buffer (10 MB); the call then fails as "Connection closed", which reads like a crash.
 * @returns a clear error for that case, else undefined.
 */
function oversizeFailure(err: unknown, transportError: Error | undefined): UpstreamMessageTooLargeError | undefined {
  if (!(err instanceof McpError) || err.code !== ErrorCode.ConnectionClosed || !transportError) return undefined;
  return new UpstreamMessageTooLargeError(
    `the server sent a message larger than the ${STDIO_DEFAULT_MAX_BUFFER_SIZE / (1024 * 1024)} MB the stdio client accepts (the result is too big), so the connection was closed; it is reopened on the next call. Ask the tool for less, e.g. a narrower query or a page.`,
    { cause: transportError },
  );
}

/** An upstream message over the stdio client's size limit; the connection was closed. */
export class UpstreamMessageTooLargeError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * Start or dial the server, initialize, and list its tools once (so a server that cannot list
 * them fails here, not in the middle of a run).
 * @throws UpstreamStartError with the reason and, for stdio servers, the tail of their stderr.
 */
export async function connectUpstream(options: ConnectOptions): Promise<UpstreamConnection> {
  const timeout = options.timeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MSEC;
  const callTimeout = options.callTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MSEC;
  const { transport, stdio } = createTransport(options.config);
  let tail = '';
  stdio?.stderr?.on('data', (chunk: Buffer) => {
    tail = keepTail(tail, chunk.toString('utf8'));
  });
  const client = new Client({ name: options.clientInfo.name, version: options.clientInfo.version });
  let closed = false;
  let started = false;
  client.onclose = () => {
    if (closed) return;
    closed = true;
    if (started) options.onClose?.();
  };
  // Transport errors also surface as failed requests or a close; the handler keeps them from being
  // unhandled. An oversized message is remembered: it is why the SDK closed the connection (the
  // rest of that message, still arriving, then fails as JSON and must not hide it).
  let oversize: Error | undefined;
  client.onerror = (error) => {
    if (OVERSIZE_MESSAGE.test(error.message)) oversize ??= error;
  };

  const withTail = (message: string): string => (tail.trim() ? `${message}\n--- stderr (last lines) ---\n${tail.trimEnd()}` : message);
  let tools: Promise<UpstreamToolInfo[]> | undefined;
  const listTools = async (signal?: AbortSignal): Promise<UpstreamToolInfo[]> => {
    const out: UpstreamToolInfo[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_LIST_PAGES; page++) {
      const result = await client.listTools(cursor === undefined ? {} : { cursor }, { timeout, ...(signal ? { signal } : {}) });
      out.push(...result.tools.map(toToolInfo));
      cursor = result.nextCursor;
      if (cursor === undefined) break;
    }
    return out;
  };

  // One deadline for the whole start (initialize and the first tools/list), so a run waits at most `timeout`.
  const deadline = AbortSignal.timeout(timeout);
  try {
    await client.connect(transport, { timeout, signal: deadline });
    tools = listTools(deadline);
    await tools;
  } catch (err) {
    closed = true;
    await client.close().catch(() => undefined);
    const reason = deadline.aborted ? `it did not start and list its tools within ${timeout / 1000} s` : err instanceof Error ? err.message : String(err);
    throw new UpstreamStartError(withTail(`could not start upstream MCP server "${options.name}": ${reason}`), { cause: err });
  }
  started = true;
  client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    tools = undefined;
  });
  const hasResources = client.getServerCapabilities()?.resources !== undefined;

  return {
    name: options.name,
    hasResources,
    get closed() {
      return closed;
    },
    pid: stdio?.pid ?? undefined,
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
        .callTool({ name, arguments: args, ...(call.meta ? { _meta: call.meta } : {}) }, undefined, {
        signal: call.signal,
        timeout: callTimeout,
        resetTimeoutOnProgress: true,
        ...(call.onProgress
          ? {
              onprogress: (p: { progress: number; total?: number; message?: string }) =>
                call.onProgress?.({ progress: p.progress, ...(p.total !== undefined ? { total: p.total } : {}), ...(p.message !== undefined ? { message: p.message } : {}) }),
            }
          : {}),
        })
        .catch((err: unknown) => {
          throw oversizeFailure(err, oversize) ?? err;
        });
      // Servers of the 2024-10-07 protocol answer with `toolResult` instead of content.
      if ('toolResult' in result) return { content: [{ type: 'text', text: JSON.stringify(result.toolResult) }] };
      return result;
    },
    async listResources(signal) {
      const out: Resource[] = [];
      let cursor: string | undefined;
      for (let page = 0; page < MAX_LIST_PAGES; page++) {
        const result = await client.listResources(cursor === undefined ? {} : { cursor }, { signal, timeout });
        out.push(...result.resources);
        cursor = result.nextCursor;
        if (cursor === undefined) break;
      }
      return out;
    },
    readResource(uri, signal) {
      return client.readResource({ uri }, { signal, timeout });
    },
    stderrTail: () => tail,
    async close() {
      closed = true;
      await client.close().catch(() => undefined);
    },
  };
}
