/**
 * The Redis engine, for a team: replicas share records, leases and channels through one Redis.
 * The connections live in redis-connection.ts, pub/sub in redis-channels.ts, the atomic steps in
 * redis-scripts.ts; this file is the record and lease operations on top.
 */
import { StoreConflictError } from './errors.js';
import { createLeaseToken } from './lease-token.js';
import { createRedisChannels } from './redis-channels.js';
import { connectRedis, type RedisConnectionOptions } from './redis-connection.js';
import { assertKeyPart, assertNamespace, assertRecordWrite, assertTtl, assertValueSize, clampListLimit, type Lease, type RecordWrite, type Store, type StoredRecord } from './store.js';

/** Every key and channel starts with this, so one Redis database can hold other things too. */
export const DEFAULT_REDIS_KEY_PREFIX = 'agents-mcp:';

/** Options for {@link createRedisStore}: the connection's (timeouts, logger: losses, recoveries, a subscriber that threw) and these. */
export interface RedisStoreOptions extends RedisConnectionOptions {
  /** Default {@link DEFAULT_REDIS_KEY_PREFIX}. */
  keyPrefix?: string;
  /** Where createdAt and updatedAt come from; default `Date.now`. (TTLs are Redis's own clock.) */
  now?: () => number;
}

/**
 * Connect to Redis and return a {@link Store} on it. Rejects with a StoreError naming the target
 * when Redis cannot be reached at start-up (nothing keeps retrying in the background then).
 */
export async function createRedisStore(options: RedisStoreOptions): Promise<Store> {
  const { target, logger } = options;
  const prefix = options.keyPrefix ?? DEFAULT_REDIS_KEY_PREFIX;
  const now = options.now ?? Date.now;
  const connections = await connectRedis(options);
  const { client, call } = connections;
  const recordKey = (namespace: string, id: string): string => `${prefix}r:${namespace}:${id}`;
  const indexPrefix = (namespace: string): string => `${prefix}i:${namespace}:`;
  const leaseKey = (name: string): string => `${prefix}l:${name}`;
  const channelKey = (channel: string): string => `${prefix}c:${channel}`;

  const channels = createRedisChannels({ connections, channelKey, prefix, target, logger });

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

    publish: channels.publish,
    subscribe: channels.subscribe,

    status() {
      return { engine: 'redis', target, connected: connections.connected() };
    },

    async close(): Promise<void> {
      channels.clear();
      await connections.close();
    },
  };
}
