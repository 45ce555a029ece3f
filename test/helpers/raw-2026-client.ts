/**
 * A small 2026-07-28 client that shows the wire as it is: the SDK v2 client hides cache fields
 * and refuses `resultType: "task"`, so the tasks extension and cache hints are checked with this.
 * Every request carries the per-request `_meta` envelope; over HTTP also the SEP-2243 headers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, REPO_ROOT } from './stdio-server.js';
import { parseCacheEnv } from './parse-cache-dir.js';

export const MODERN_VERSION = '2026-07-28';
export const TASKS_EXTENSION = 'io.modelcontextprotocol/tasks';

/** A JSON-RPC error answer, thrown by {@link RawClient.request}. */
export class RawRpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

/** A notification the server sent while a request was open. */
export interface RawNotification {
  method: string;
  params?: Record<string, unknown>;
}

export interface RawRequestOptions {
  /** Hears every notification the server sends while this request is open. */
  onNotification?: (notification: RawNotification) => void;
  /** Aborting it cancels the request: HTTP closes the request's stream, stdio sends `notifications/cancelled`. */
  signal?: AbortSignal;
}

export interface RawClient {
  /** Send one request with the envelope (and `capabilities` as the client's); resolves with its result. */
  request(method: string, params?: Record<string, unknown>, capabilities?: Record<string, unknown>, options?: RawRequestOptions): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

function envelope(params: Record<string, unknown>, capabilities: Record<string, unknown>): Record<string, unknown> {
  const meta = (params['_meta'] as Record<string, unknown> | undefined) ?? {};
  return {
    ...params,
    _meta: {
      ...meta,
      'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
      'io.modelcontextprotocol/clientInfo': { name: 'raw-2026-test', version: '0.0.0' },
      'io.modelcontextprotocol/clientCapabilities': capabilities,
    },
  };
}

interface RawMessage {
  id?: number;
  method?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

function settle(message: { result?: Record<string, unknown>; error?: { code: number; message: string } }): Record<string, unknown> {
  if (message.error) throw new RawRpcError(message.error.code, message.error.message);
  return message.result ?? {};
}

/** The value `Mcp-Name` must carry for `method` (SEP-2243), if any. */
function mcpName(method: string, params: Record<string, unknown>): string | undefined {
  if (method === 'tools/call' || method === 'prompts/get') return params['name'] as string;
  if (method === 'resources/read') return params['uri'] as string;
  if (method.startsWith('tasks/')) return params['taskId'] as string;
  return undefined;
}

/** A client for the server at `url` (Streamable HTTP). */
export function rawHttpClient(url: string, headers: Record<string, string> = {}): RawClient {
  let id = 0;
  return {
    async request(method, params = {}, capabilities = {}, options = {}) {
      const requestId = ++id;
      const name = mcpName(method, params);
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          ...headers,
          'content-type': 'application/json',
          accept: 'application/json, text/event-stream',
          'mcp-protocol-version': MODERN_VERSION,
          'mcp-method': method,
          ...(name !== undefined ? { 'mcp-name': name } : {}),
        },
        body: JSON.stringify({ jsonrpc: '2.0', id: requestId, method, params: envelope(params, capabilities) }),
        ...(options.signal ? { signal: options.signal } : {}),
      });
      if (!(response.headers.get('content-type') ?? '').includes('text/event-stream')) return settle(JSON.parse(await response.text()));
      // Read the stream as it comes, so notifications are heard while the request is open.
      let buffer = '';
      const decoder = new TextDecoder();
      for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        let newline: number;
        while ((newline = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          if (!line.startsWith('data:')) continue;
          const message = JSON.parse(line.slice(5)) as RawMessage;
          if (message.id === requestId) return settle(message);
          if (message.method !== undefined) options.onNotification?.({ method: message.method, ...(message.params ? { params: message.params } : {}) });
        }
      }
      throw new Error(`no answer to ${method} in the event stream: ${buffer}`);
    },
    close: () => Promise.resolve(),
  };
}

/** Spawn `node dist/cli.js ...args` and talk to it over stdio. */
export function rawStdioClient(args: string[], env: Record<string, string>): RawClient {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { cwd: REPO_ROOT, env: { ...getDefaultEnvironment(), ...parseCacheEnv(), ...env }, stdio: ['pipe', 'pipe', 'ignore'] });
  const pending = new Map<number, (message: RawMessage) => void>();
  const listeners = new Set<(notification: RawNotification) => void>();
  let buffer = '';
  child.stdout!.setEncoding('utf8');
  child.stdout!.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      const message = JSON.parse(line) as RawMessage;
      if (typeof message.id === 'number') pending.get(message.id)?.(message);
      else if (message.method !== undefined) for (const listener of listeners) listener({ method: message.method, ...(message.params ? { params: message.params } : {}) });
    }
  });
  let id = 0;
  return {
    request(method, params = {}, capabilities = {}, options = {}) {
      const requestId = ++id;
      const { onNotification, signal } = options;
      return new Promise((resolve, reject) => {
        const onAbort = (): void => {
          done();
          child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId, reason: String(signal?.reason) } })}\n`);
          reject(new Error(`${method} cancelled: ${String(signal?.reason)}`));
        };
        const done = (): void => {
          pending.delete(requestId);
          if (onNotification) listeners.delete(onNotification);
          signal?.removeEventListener('abort', onAbort);
        };
        if (onNotification) listeners.add(onNotification);
        signal?.addEventListener('abort', onAbort, { once: true });
        pending.set(requestId, (message) => {
          done();
          try {
            resolve(settle(message));
          } catch (err) {
            reject(err);
          }
        });
        child.stdin!.write(`${JSON.stringify({ jsonrpc: '2.0', id: requestId, method, params: envelope(params, capabilities) })}\n`);
      });
    },
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.stdin!.end();
      await exited;
    },
  };
}
