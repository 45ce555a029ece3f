/**
 * The two ioredis connections the Redis engine keeps (commands, and a subscriber, since a
 * subscribed connection can do nothing else), how they report losses and recoveries, and how an
 * engine call's client error becomes a StoreError that says what was being done. While Redis is
 * away every call fails at once with a StoreUnavailableError instead of queueing or hanging, and
 * a command that was in flight when the connection dropped is failed rather than silently re-sent
 * (a re-sent create or compare-and-set could report the wrong winner).
 */
import { Redis } from 'ioredis';
import { StoreError, StoreUnavailableError } from './errors.js';
import { RECORD_SCRIPTS, type ScriptedRedis } from './redis-scripts.js';
import type { StoreLogger } from './store.js';

/** Longest wait for a reply before the call fails as unavailable (a Redis that hangs, not one that is down). */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MSEC = 5_000;
/** Longest wait for the TCP connection and handshake. */
export const DEFAULT_REDIS_CONNECT_TIMEOUT_MSEC = 5_000;
/** Reconnection backs off exponentially up to this. */
export const DEFAULT_REDIS_MAX_RECONNECT_DELAY_MSEC = 2_000;

/** What {@link connectRedis} needs (the connection part of RedisStoreOptions). */
export interface RedisConnectionOptions {
  /** redis://[user:password@]host:port/db or rediss://…; see store-url.ts. */
  url: string;
  /** The URL without credentials, used in messages; see store-url.ts. */
  target: string;
  /** Connection losses and recoveries. */
  logger?: StoreLogger;
  /** Default {@link DEFAULT_REDIS_COMMAND_TIMEOUT_MSEC}. */
  commandTimeoutMs?: number;
  /** Default {@link DEFAULT_REDIS_CONNECT_TIMEOUT_MSEC}. */
  connectTimeoutMs?: number;
  /** Default {@link DEFAULT_REDIS_MAX_RECONNECT_DELAY_MSEC}. */
  maxReconnectDelayMs?: number;
}

/** The open connections and the one way to use them. */
export interface RedisConnections {
  /** Commands, with the record scripts. */
  client: ScriptedRedis;
  /** Subscriptions only. */
  subscriber: Redis;
  /** Run one engine call named `operation`, turning client errors into StoreErrors; refuses once closed. */
  call<T>(operation: string, work: () => Promise<T>): Promise<T>;
  /** Both connections are ready and not closed. */
  connected(): boolean;
  /** Quit both connections; later calls fail as closed. */
  close(): Promise<void>;
}

/** Redis answers that mean "not now" rather than "never": the server is starting, failing over or busy. */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN)\b/;

/**
 * Open both connections. Rejects with a StoreError naming the target when Redis cannot be reached
 * (nothing keeps retrying in the background then).
 */
export async function connectRedis(options: RedisConnectionOptions): Promise<RedisConnections> {
  const { target, logger } = options;
  const maxDelay = options.maxReconnectDelayMs ?? DEFAULT_REDIS_MAX_RECONNECT_DELAY_MSEC;
  const client = new Redis(options.url, {
    lazyConnect: true,
    // Fail fast while disconnected; callers get a clear error and may retry.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    autoResendUnfulfilledCommands: false,
    commandTimeout: options.commandTimeoutMs ?? DEFAULT_REDIS_COMMAND_TIMEOUT_MSEC,
    connectTimeout: options.connectTimeoutMs ?? DEFAULT_REDIS_CONNECT_TIMEOUT_MSEC,
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 10), maxDelay),
    connectionName: 'agents-mcp',
    scripts: RECORD_SCRIPTS,
  }) as ScriptedRedis;
  // A subscribed connection takes no other commands, so channels get their own.
  const subscriber = client.duplicate({ connectionName: 'agents-mcp-subscriber' });

  let closing = false;
  /** The last socket error either connection saw: "Connection is closed" alone does not say why. */
  let lastSocketError: Error | undefined;
  watchConnection(client, 'commands');
  watchConnection(subscriber, 'subscriber');

  function watchConnection(connection: Redis, role: string): void {
    let lost = false;
    // Without an 'error' listener ioredis would print every failed reconnection attempt.
    connection.on('error', (error: Error) => {
      lastSocketError = error;
      if (lost || closing) return;
      lost = true;
      logger?.warn({ store: target, connection: role, error: error.message }, 'store connection lost; reconnecting');
    });
    connection.on('close', () => {
      if (lost || closing) return;
      lost = true;
      logger?.warn({ store: target, connection: role }, 'store connection lost; reconnecting');
    });
    connection.on('ready', () => {
      lastSocketError = undefined;
      if (!lost) return;
      lost = false;
      logger?.info({ store: target, connection: role }, 'store reconnected');
    });
  }

  try {
    await Promise.all([client.connect(), subscriber.connect()]);
  } catch (error) {
    closing = true;
    client.disconnect();
    subscriber.disconnect();
    const why = lastSocketError?.message ?? (error instanceof Error ? error.message : String(error));
    throw new StoreError(`cannot reach Redis at ${target}: ${why}; start it or fix --store`, { cause: error });
  }

  /** Run one engine call, turning client errors into StoreErrors that say what was being done. */
  const call = async <T>(operation: string, work: () => Promise<T>): Promise<T> => {
    if (closing) throw new StoreError(`the store at ${target} is closed (${operation})`);
    try {
      return await work();
    } catch (error) {
      if (error instanceof StoreError) throw error;
      if (error instanceof Error && error.name === 'ReplyError' && !TRANSIENT_REPLY.test(error.message)) {
        throw new StoreError(`Redis at ${target} refused ${operation}: ${error.message}`, { cause: error });
      }
      throw new StoreUnavailableError(target, operation, explainClientError(error, lastSocketError));
    }
  };

  return {
    client,
    subscriber,
    call,
    connected: () => !closing && client.status === 'ready' && subscriber.status === 'ready',
    async close() {
      if (closing) return;
      closing = true;
      await Promise.allSettled([client.quit(), subscriber.quit()]);
      client.disconnect();
      subscriber.disconnect();
    },
  };
}

/** ioredis's wording for "we are not connected" is about its queues; say what it means for the caller. */
function explainClientError(error: unknown, lastSocketError: Error | undefined): Error {
  if (!(error instanceof Error)) return new Error(String(error));
  const socket = lastSocketError ? ` (${lastSocketError.message})` : '';
  if (error.message.startsWith("Stream isn't writeable")) return new Error(`not connected${socket}`, { cause: error });
  if (error.name === 'MaxRetriesPerRequestError' || error.message === 'Connection is closed.') {
    return new Error(`the connection dropped before Redis answered${socket}; the call may or may not have been applied`, { cause: error });
  }
  return error;
}
