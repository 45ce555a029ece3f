/**
 * The in-memory engine: the default, for one process, nothing to install. Expiry is checked on
 * every read against an injectable clock (so tests need not wait), and an unref'd timer sweeps
 * what expired so memory stays bounded by the TTLs; it never keeps the process alive.
 */
import { StoreConflictError, StoreError } from './errors.js';
import { createLeaseToken } from './lease-token.js';
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

/** How often expired records and leases are dropped from memory. */
export const DEFAULT_MEMORY_SWEEP_INTERVAL_MSEC = 60_000;

/** Options for {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** The clock TTLs and createdAt are read from; default `Date.now`. */
  now?: () => number;
  /** Default {@link DEFAULT_MEMORY_SWEEP_INTERVAL_MSEC}. */
  sweepIntervalMs?: number;
  /** Told about a subscriber that threw (which does not stop delivery to the others). */
  logger?: StoreLogger;
}

interface Entry extends StoredRecord {
  readonly namespace: string;
  readonly expiresAt: number;
}

/** A {@link Store} that lives in this process's memory. */
export function createMemoryStore(options: MemoryStoreOptions = {}): Store {
  const now = options.now ?? Date.now;
  /** `namespace\0id` → entry. */
  const records = new Map<string, Entry>();
  /** `namespace\0principal` → ids, so a list reads only one principal's records. */
  const byPrincipal = new Map<string, Set<string>>();
  const leases = new Map<string, { token: string; expiresAt: number }>();
  const channels = new Map<string, Set<{ onMessage: (message: string) => void; active: boolean }>>();
  let closed = false;

  const recordKey = (namespace: string, id: string): string => `${namespace}\0${id}`;
  const indexKey = (namespace: string, principal: string): string => `${namespace}\0${principal}`;

  const live = (namespace: string, id: string): Entry | undefined => {
    const entry = records.get(recordKey(namespace, id));
    if (entry === undefined) return undefined;
    if (entry.expiresAt > now()) return entry;
    remove(entry);
    return undefined;
  };

  const remove = (entry: Entry): void => {
    records.delete(recordKey(entry.namespace, entry.id));
    const ids = byPrincipal.get(indexKey(entry.namespace, entry.principal));
    ids?.delete(entry.id);
    if (ids?.size === 0) byPrincipal.delete(indexKey(entry.namespace, entry.principal));
  };

  const store = (namespace: string, entry: Omit<Entry, 'namespace'>): StoredRecord => {
    const full: Entry = { ...entry, namespace };
    records.set(recordKey(namespace, entry.id), full);
    const key = indexKey(namespace, entry.principal);
    const ids = byPrincipal.get(key) ?? new Set<string>();
    ids.add(entry.id);
    byPrincipal.set(key, ids);
    return toRecord(full);
  };

  const assertOpen = (): void => {
    if (closed) throw new StoreError('the memory store is closed');
  };

  const sweep = (): void => {
    const t = now();
    for (const entry of [...records.values()]) if (entry.expiresAt <= t) remove(entry);
    for (const [name, lease] of [...leases]) if (lease.expiresAt <= t) leases.delete(name);
  };
  const sweeper = setInterval(sweep, options.sweepIntervalMs ?? DEFAULT_MEMORY_SWEEP_INTERVAL_MSEC);
  sweeper.unref();

  const heldLease = (name: string): { token: string; expiresAt: number } | undefined => {
    const lease = leases.get(name);
    if (lease === undefined || lease.expiresAt > now()) return lease;
    leases.delete(name);
    return undefined;
  };

  return {
    async create(namespace: string, record: RecordWrite): Promise<boolean> {
      assertOpen();
      assertRecordWrite(namespace, record);
      if (live(namespace, record.id)) return false;
      const t = now();
      store(namespace, { id: record.id, principal: record.principal, value: record.value, createdAt: t, updatedAt: t, revision: 1, expiresAt: t + record.ttlMs });
      return true;
    },

    async put(namespace: string, record: RecordWrite): Promise<StoredRecord> {
      assertOpen();
      assertRecordWrite(namespace, record);
      const existing = live(namespace, record.id);
      if (existing && existing.principal !== record.principal) {
        throw new StoreConflictError(`${namespace}/${record.id} belongs to another principal`);
      }
      const t = now();
      return store(namespace, {
        id: record.id,
        principal: record.principal,
        value: record.value,
        createdAt: existing?.createdAt ?? t,
        updatedAt: t,
        revision: (existing?.revision ?? 0) + 1,
        expiresAt: t + record.ttlMs,
      });
    },

    async get(namespace: string, id: string): Promise<StoredRecord | undefined> {
      assertOpen();
      assertNamespace(namespace);
      assertKeyPart('id', id);
      const entry = live(namespace, id);
      return entry && toRecord(entry);
    },

    async update(namespace, { id, expectedRevision, value, ttlMs }): Promise<StoredRecord | undefined> {
      assertOpen();
      assertNamespace(namespace);
      assertKeyPart('id', id);
      assertTtl(ttlMs);
      assertValueSize(`the value of ${namespace}/${id}`, value);
      const existing = live(namespace, id);
      if (!existing || existing.revision !== expectedRevision) return undefined;
      const t = now();
      return store(namespace, { ...existing, value, updatedAt: t, revision: existing.revision + 1, expiresAt: t + ttlMs });
    },

    async delete(namespace: string, id: string): Promise<boolean> {
      assertOpen();
      assertNamespace(namespace);
      assertKeyPart('id', id);
      const entry = live(namespace, id);
      if (entry) remove(entry);
      return entry !== undefined;
    },

    async list(namespace: string, principal: string, options = {}): Promise<StoredRecord[]> {
      assertOpen();
      assertNamespace(namespace);
      assertKeyPart('principal', principal);
      const limit = clampListLimit(options.limit);
      const ids = [...(byPrincipal.get(indexKey(namespace, principal)) ?? [])];
      const entries = ids.map((id) => live(namespace, id)).filter((e): e is Entry => e !== undefined);
      // The same order as Redis's ZREVRANGE: score (createdAt) down, then member (id) down.
      entries.sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0));
      return entries.slice(0, limit).map(toRecord);
    },

    async acquireLease(name: string, ttlMs: number): Promise<Lease | undefined> {
      assertOpen();
      assertKeyPart('lease name', name);
      assertTtl(ttlMs);
      if (heldLease(name)) return undefined;
      const token = createLeaseToken();
      leases.set(name, { token, expiresAt: now() + ttlMs });
      return { name, token };
    },

    async renewLease(lease: Lease, ttlMs: number): Promise<boolean> {
      assertOpen();
      assertTtl(ttlMs);
      const held = heldLease(lease.name);
      if (held?.token !== lease.token) return false;
      held.expiresAt = now() + ttlMs;
      return true;
    },

    async releaseLease(lease: Lease): Promise<boolean> {
      assertOpen();
      const held = heldLease(lease.name);
      if (held?.token !== lease.token) return false;
      leases.delete(lease.name);
      return true;
    },

    async publish(channel: string, message: string): Promise<void> {
      assertOpen();
      assertChannel(channel);
      assertValueSize(`a message on ${channel}`, message);
      // Delivered after publish returns, as over Redis; one microtask per message keeps the order.
      for (const subscriber of [...(channels.get(channel) ?? [])]) {
        queueMicrotask(() => {
          if (!subscriber.active) return;
          try {
            subscriber.onMessage(message);
          } catch (error) {
            options.logger?.warn({ store: 'memory', channel, error: error instanceof Error ? error.message : String(error) }, 'a store subscriber threw');
          }
        });
      }
    },

    async subscribe(channel: string, onMessage: (message: string) => void): Promise<Subscription> {
      assertOpen();
      assertChannel(channel);
      const subscriber = { onMessage, active: true };
      const set = channels.get(channel) ?? new Set();
      set.add(subscriber);
      channels.set(channel, set);
      return {
        async unsubscribe() {
          subscriber.active = false;
          set.delete(subscriber);
          if (set.size === 0 && channels.get(channel) === set) channels.delete(channel);
        },
      };
    },

    status() {
      return { engine: 'memory', target: 'memory', connected: !closed };
    },

    async close(): Promise<void> {
      closed = true;
      clearInterval(sweeper);
      records.clear();
      byPrincipal.clear();
      leases.clear();
      for (const set of channels.values()) for (const s of set) s.active = false;
      channels.clear();
    },
  };
}

function toRecord(entry: Entry): StoredRecord {
  return { id: entry.id, principal: entry.principal, value: entry.value, createdAt: entry.createdAt, updatedAt: entry.updatedAt, revision: entry.revision };
}
