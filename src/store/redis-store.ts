/**
 * The Redis engine, for a team: replicas share records, leases and channels through one Redis.
 * ioredis keeps two connections (commands, and a subscriber, since a subscribed connection can
 * do nothing else) and reconnects both on its own. While Redis is away every call fails at once
 * with a StoreUnavailableError instead of queueing or hanging, and a command that was in flight
 * when the connection dropped is failed rather than silently re-sent (a re-sent create or
 * compare-and-set could report the wrong winner).
 */
import { Redis } from 'ioredis';
import { StoreConflictError, StoreError, StoreUnavailableError } from './errors.js';
import { createLeaseToken } from './lease-token.js';
import { RECORD_SCRIPTS, type ScriptedRedis } from './redis-scripts.js';
import {
  assertChannel,
  assertKeyPart,
  assertNamespace,
  assertRecordWrite,
  assertTtl,
  assertValueSize,
  clampListLimit,
  type Lease,
  type RecordWrite,
  type Store,
  type StoredRecord,
  type StoreLogger,
  type Subscription,
} from './store.js';

/** Longest wait for a reply before the call fails as unavailable (a Redis that hangs, not one that is down). */
export const DEFAULT_REDIS_COMMAND_TIMEOUT_MSEC = 5_000;
/** Longest wait for the TCP connection and handshake. */
export const DEFAULT_REDIS_CONNECT_TIMEOUT_MSEC = 5_000;
/** Reconnection backs off exponentially up to this. */
export const DEFAULT_REDIS_MAX_RECONNECT_DELAY_MSEC = 2_000;
/** Every key and channel starts with this, so one Redis database can hold other things too. */
export const DEFAULT_REDIS_KEY_PREFIX = 'agents-mcp:';

/** Options for {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** redis://[user:password@]host:port/db or rediss://…; see store-url.ts. */
  url: string;
  /** The URL without credentials, used in messages; see store-url.ts. */
  target: string;
  /** Default {@link DEFAULT_REDIS_KEY_PREFIX}. */
  keyPrefix?: string;
  /** Connection losses and recoveries; a subscriber that threw. */
  logger?: StoreLogger;
  /** Default {@link DEFAULT_REDIS_COMMAND_TIMEOUT_MSEC}. */
  commandTimeoutMs?: number;
  /** Default {@link DEFAULT_REDIS_CONNECT_TIMEOUT_MSEC}. */
  connectTimeoutMs?: number;
  /** Default {@link DEFAULT_REDIS_MAX_RECONNECT_DELAY_MSEC}. */
  maxReconnectDelayMs?: number;
  /** Where createdAt and updatedAt come from; default `Date.now`. (TTLs are Redis's own clock.) */
  now?: () => number;
}

/** Redis answers that mean "not now" rather than "never": the server is starting, failing over or busy. */
const TRANSIENT_REPLY = /^(LOADING|READONLY|MASTERDOWN|BUSY|TRYAGAIN|CLUSTERDOWN)\b/;

/**
 * Connect to Redis and return a {@link Store} on it. Rejects with a StoreError naming the target
 * when Redis cannot be reached at start-up (nothing keeps retrying in the background then).
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<Store> {
  const { target, logger } = options;
  const prefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  const now = options.now ?? Date.now;
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

  const recordKey = (namespace: string, id: string): string => `${prefix}r:${namespace}:${id}`;
  const indexPrefix = (namespace: string): string => `${prefix}i:${namespace}:`;
  const leaseKey = (name: string): string => `${prefix}l:${name}`;
  const channelKey = (channel: string): string => `${prefix}c:${channel}`;

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

  /** Per channel key: the handlers, and the SUBSCRIBE that makes them live. */
  const channels = new Map<string, { handlers: Set<(message: string) => void>; live: Promise<unknown> }>();
  subscriber.on('message', (channel: string, message: string) => {
    for (const handler of [...(channels.get(channel)?.handlers ?? [])]) {
      try {
        handler(message);
      } catch (error) {
        logger?.warn({ store: target, channel: channel.slice(prefix.length + 2), error: error instanceof Error ? error.message : String(error) }, 'a store subscriber threw');
      }
    }
  });

  return {
    async create(namespace: string, record: RecordWrite): Promise<boolean> {
      assertRecordWrite(namespace, record);
      return call(`create ${namespace}/${record.id}`, async () => {
        const created = await client.storeCreate(
          recordKey(namespace, record.id),
          indexPrefix(namespace) + record.principal,
          record.value,
          record.principal,
          now(),
          record.ttlMs,
          record.id,
        );
        return created === 1;
      });
    },

    async put(namespace: string, record: RecordWrite): Promise<StoredRecord> {
      assertRecordWrite(namespace, record);
      return call(`put ${namespace}/${record.id}`, async () => {
        const t = now();
        const [revision, createdAt] = await client.storePut(
          recordKey(namespace, record.id),
          indexPrefix(namespace) + record.principal,
          record.value,
          record.principal,
          t,
          record.ttlMs,
          record.id,
        );
        if (revision === -1) throw new StoreConflictError(`${namespace}/${record.id} belongs to another principal`);
        return { id: record.id, principal: record.principal, value: record.value, createdAt: Number(createdAt), updatedAt: t, revision };
      });
    },

    async get(namespace: string, id: string): Promise<StoredRecord | undefined> {
      assertNamespace(namespace);
      assertKeyPart('id', id);
      return call(`get ${namespace}/${id}`, async () => {
        const [value, principal, created, updated, revision] = await client.hmget(recordKey(namespace, id), 'v', 'p', 'c', 'u', 'r');
        if (value === null || value === undefined || !principal) return undefined;
        return { id, principal, value, createdAt: Number(created), updatedAt: Number(updated), revision: Number(revision) };
      });
    },

    async update(namespace, { id, expectedRevision, value, ttlMs }): Promise<StoredRecord | undefined> {
      assertNamespace(namespace);
      assertKeyPart('id', id);
      assertTtl(ttlMs);
      assertValueSize(`the value of ${namespace}/${id}`, value);
      return call(`update ${namespace}/${id}`, async () => {
        const t = now();
        const result = await client.storeUpdate(recordKey(namespace, id), expectedRevision, value, t, ttlMs, indexPrefix(namespace));
        if (result === null) return undefined;
        const [revision, principal, createdAt] = result;
        return { id, principal, value, createdAt: Number(createdAt), updatedAt: t, revision };
      });
    },

    async delete(namespace: string, id: string): Promise<boolean> {
      assertNamespace(namespace);
      assertKeyPart('id', id);
      return call(`delete ${namespace}/${id}`, async () => (await client.storeDelete(recordKey(namespace, id), indexPrefix(namespace), id)) === 1);
    },

    async list(namespace: string, principal: string, listOptions = {}): Promise<StoredRecord[]> {
      assertNamespace(namespace);
      assertKeyPart('principal', principal);
      const limit = clampListLimit(listOptions.limit);
      return call(`list ${namespace}`, async () => {
        const rows = await client.storeList(indexPrefix(namespace) + principal, recordKey(namespace, ''), limit, principal);
        return rows.map(([id, value, created, updated, revision]) => ({
          id,
          principal,
          value,
          createdAt: Number(created),
          updatedAt: Number(updated),
          revision: Number(revision),
        }));
      });
    },

    async acquireLease(name: string, ttlMs: number): Promise<Lease | undefined> {
      assertKeyPart('lease name', name);
      assertTtl(ttlMs);
      return call(`acquire lease ${name}`, async () => {
        const token = createLeaseToken();
        const reply = await client.set(leaseKey(name), token, 'PX', ttlMs, 'NX');
        return reply === 'OK' ? { name, token } : undefined;
      });
    },

    async renewLease(lease: Lease, ttlMs: number): Promise<boolean> {
      assertTtl(ttlMs);
      return call(`renew lease ${lease.name}`, async () => (await client.storeRenewLease(leaseKey(lease.name), lease.token, ttlMs)) === 1);
    },

    async releaseLease(lease: Lease): Promise<boolean> {
      return call(`release lease ${lease.name}`, async () => (await client.storeReleaseLease(leaseKey(lease.name), lease.token)) === 1);
    },

    async publish(channel: string, message: string): Promise<void> {
      assertChannel(channel);
      assertValueSize(`a message on ${channel}`, message);
      return call(`publish on ${channel}`, async () => {
        await client.publish(channelKey(channel), message);
      });
    },

    async subscribe(channel: string, onMessage: (message: string) => void): Promise<Subscription> {
      assertChannel(channel);
      const key = channelKey(channel);
      return call(`subscribe to ${channel}`, async () => {
        let entry = channels.get(key);
        if (entry === undefined) {
          const created = { handlers: new Set<(message: string) => void>(), live: subscriber.subscribe(key) };
          channels.set(key, created);
          created.live.catch(() => {
            if (channels.get(key) === created && created.handlers.size === 0) channels.delete(key);
          });
          entry = created;
        }
        const handlers = entry.handlers;
        // Registered before the SUBSCRIBE reply so nothing published after it resolves is missed.
        const handler = (message: string): void => onMessage(message);
        handlers.add(handler);
        try {
          await entry.live;
        } catch (error) {
          handlers.delete(handler);
          if (channels.get(key) === entry && handlers.size === 0) channels.delete(key);
          throw error;
        }
        let active = true;
        return {
          async unsubscribe() {
            if (!active) return;
            active = false;
            handlers.delete(handler);
            if (handlers.size > 0 || channels.get(key)?.handlers !== handlers) return;
            channels.delete(key);
            // While Redis is away this fails; the channel then has no handlers, so whatever
            // arrives on it after the resubscribe is dropped, which is all unsubscribing promises.
            await subscriber.unsubscribe(key).catch(() => undefined);
          },
        };
      });
    },

    status() {
      return { engine: 'redis', target, connected: !closing && client.status === 'ready' && subscriber.status === 'ready' };
    },

    async close(): Promise<void> {
      if (closing) return;
      closing = true;
      channels.clear();
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
