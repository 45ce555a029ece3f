/**
 * The upstream pool: one connection per configured server, opened on first use by a run that
 * may use it, shared by every run after that, and reopened when the server exits. A server that
 * fails to start is logged once (with its stderr tail); runs go on without its tools, and it is
 * tried again after a pause.
 */
import type { Logger } from '../../log.js';
import { connectUpstream, UpstreamStartError, type ConnectOptions, type UpstreamConnection } from './connection.js';
import type { NamedServer } from './agent-servers.js';

/** Pause after a failed start before a run may try that server again. */
export const DEFAULT_RETRY_AFTER_MSEC = 30_000;

/** A server that is not available, and why. */
export class UpstreamUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The outcome of acquiring one server. */
export type Acquired = { server: NamedServer; connection: UpstreamConnection } | { server: NamedServer; problem: string };

/** Options of {@link createUpstreamPool}. */
export interface UpstreamPoolOptions {
  logger: Logger;
  clientInfo: ConnectOptions['clientInfo'];
  connectTimeoutMs?: number;
  callTimeoutMs?: number;
  retryAfterMs?: number;
  /** Injected for tests; default Date.now. */
  now?: () => number;
  /** Injected for tests; default {@link connectUpstream}. */
  connect?: (options: ConnectOptions) => Promise<UpstreamConnection>;
}

/** Connections shared by every run of the server. */
export interface UpstreamPool {
  /** Connect (or reuse) each server, in parallel. Never throws: a server that fails is reported in its entry. */
  acquire(servers: readonly NamedServer[], signal: AbortSignal): Promise<Acquired[]>;
  /**
   * The live connection of one server, reconnecting if it exited.
   * @throws UpstreamUnavailableError when it cannot be had (start failed, cancelled, pool closed).
   */
  connection(server: NamedServer, signal: AbortSignal): Promise<UpstreamConnection>;
  /** Close every connection (children are stopped); later calls fail. */
  close(): Promise<void>;
}

type Entry =
  | { state: 'connecting'; promise: Promise<UpstreamConnection> }
  | { state: 'ready'; connection: UpstreamConnection }
  | { state: 'failed'; message: string; at: number };

/** Identity of a server in the pool: its name and exact config (an edited inline config is a new server). */
function keyOf(server: NamedServer): string {
  return `${server.name}\u0000${JSON.stringify(server.config)}`;
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new UpstreamUnavailableError('cancelled'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new UpstreamUnavailableError('cancelled'));
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err instanceof Error ? err : new Error(String(err)));
      },
    );
  });
}

/** Create the pool. Nothing is started until a run asks. */
export function createUpstreamPool(options: UpstreamPoolOptions): UpstreamPool {
  const { logger } = options;
  const now = options.now ?? Date.now;
  const connect = options.connect ?? connectUpstream;
  const retryAfter = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MSEC;
  const entries = new Map<string, Entry>();
  /** The last failure logged per server, so a server that keeps failing the same way is reported once. */
  const reported = new Map<string, string>();
  let closing = false;

  // Children of a process that dies without closing the pool would otherwise outlive it.
  const killChildren = (): void => {
    for (const entry of entries.values()) {
      if (entry.state === 'ready' && entry.connection.pid !== undefined) {
        try {
          process.kill(entry.connection.pid, 'SIGTERM');
        } catch {
          // Already gone.
        }
      }
    }
  };
  process.once('exit', killChildren);

  function start(server: NamedServer, key: string): Promise<UpstreamConnection> {
    const log = logger.child({ upstream: server.name });
    let connection: UpstreamConnection | undefined;
    const promise = connect({
      name: server.name,
      config: server.config,
      clientInfo: options.clientInfo,
      ...(options.connectTimeoutMs !== undefined ? { timeoutMs: options.connectTimeoutMs } : {}),
      ...(options.callTimeoutMs !== undefined ? { callTimeoutMs: options.callTimeoutMs } : {}),
      onClose: () => {
        const current = entries.get(key);
        if (current?.state === 'ready' && current.connection === connection) entries.delete(key);
        if (closing) return;
        const tail = connection?.stderrTail().trim();
        log.warn({ ...(tail ? { stderr_tail: tail } : {}) }, 'upstream MCP server exited; it will be restarted when next needed');
      },
    }).then(
      (conn) => {
        connection = conn;
        if (closing) {
          void conn.close();
          throw new UpstreamUnavailableError('the server is shutting down');
        }
        entries.set(key, { state: 'ready', connection: conn });
        reported.delete(key);
        log.info({ origin: server.origin, transport: server.config.type, era: conn.era, resources: conn.hasResources }, 'upstream MCP server connected');
        return conn;
      },
      (err: unknown) => {
        const message = err instanceof Error ? err.message : String(err);
        entries.set(key, { state: 'failed', message, at: now() });
        if (reported.get(key) !== message) {
          reported.set(key, message);
          log.warn({ reason: message }, 'upstream MCP server unavailable; runs go on without its tools');
        }
        throw err instanceof UpstreamStartError ? err : new UpstreamStartError(message, { cause: err });
      },
    );
    entries.set(key, { state: 'connecting', promise });
    return promise;
  }

  function get(server: NamedServer): Promise<UpstreamConnection> {
    if (closing) return Promise.reject(new UpstreamUnavailableError('the server is shutting down'));
    const key = keyOf(server);
    const entry = entries.get(key);
    if (entry?.state === 'ready' && !entry.connection.closed) return Promise.resolve(entry.connection);
    if (entry?.state === 'connecting') return entry.promise;
    if (entry?.state === 'failed' && now() - entry.at < retryAfter) {
      return Promise.reject(new UpstreamUnavailableError(entry.message));
    }
    return start(server, key);
  }

  return {
    async acquire(servers, signal) {
      return Promise.all(
        servers.map(async (server): Promise<Acquired> => {
          try {
            return { server, connection: await abortable(get(server), signal) };
          } catch (err) {
            return { server, problem: err instanceof Error ? err.message : String(err) };
          }
        }),
      );
    },
    async connection(server, signal) {
      try {
        return await abortable(get(server), signal);
      } catch (err) {
        if (err instanceof UpstreamUnavailableError) throw err;
        throw new UpstreamUnavailableError(err instanceof Error ? err.message : String(err), { cause: err });
      }
    },
    async close() {
      closing = true;
      process.removeListener('exit', killChildren);
      const pending = [...entries.values()];
      entries.clear();
      await Promise.all(
        pending.map(async (entry) => {
          if (entry.state === 'ready') await entry.connection.close();
          // A start under way closes its connection itself once it sees `closing`.
          if (entry.state === 'connecting') await entry.promise.catch(() => undefined);
        }),
      );
    },
  };
}
