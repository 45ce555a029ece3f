/**
 * The Store seam: everything a second replica needs to answer a request. Records with a TTL,
 * owned by a principal; atomic create-if-absent and compare-and-set where a race matters;
 * leases that one holder renews; pub/sub channels across replicas.
 *
 * Values and messages are opaque strings here (the typed layer in collection.ts and channel.ts
 * encodes JSON and validates it with zod when read back), so both engines store exactly the same
 * bytes and no caller can alias another's objects.
 */
import { StoreError } from './errors.js';

/** One record as stored. */
export interface StoredRecord {
  /** Unique within its namespace. */
  readonly id: string;
  /** Who owns it; fixed when the record is first written. */
  readonly principal: string;
  /** The encoded value (JSON in practice). */
  readonly value: string;
  /** Milliseconds since the epoch of the first write; lists are newest first by this. */
  readonly createdAt: number;
  /** Milliseconds since the epoch of the last write. */
  readonly updatedAt: number;
  /** 1 on the first write, one more on each later write; compare-and-set compares it. */
  readonly revision: number;
}

/** What a write says about a record. */
export interface RecordWrite {
  readonly id: string;
  readonly principal: string;
  readonly value: string;
  /** The record disappears this long after this write (each write restarts the clock). */
  readonly ttlMs: number;
}

/** A held lease; only the holder knows its random token. */
export interface Lease {
  readonly name: string;
  /** Random per acquisition; renew and release compare it. */
  readonly token: string;
}

/** A live subscription to one channel. */
export interface Subscription {
  /** Stop receiving; resolves once the engine has let go of the channel. Idempotent. */
  unsubscribe(): Promise<void>;
}

/** The few logger methods the engines use (pino's Logger fits). */
export interface StoreLogger {
  info(fields: Record<string, unknown>, message: string): void;
  warn(fields: Record<string, unknown>, message: string): void;
}

/** How an engine is doing, for /readyz and logs. Never contains credentials. */
export interface StoreStatus {
  readonly engine: 'memory' | 'redis';
  /** `memory`, or the Redis URL without user name and password. */
  readonly target: string;
  /** Whether commands can reach the engine right now. */
  readonly connected: boolean;
}

/**
 * The seam both engines implement (memory-store.ts, redis-store.ts) and store-contract.test.ts
 * holds them to. Every method may reject with a {@link StoreError}; a Redis that is away gives a
 * StoreUnavailableError rather than a hang.
 */
export interface Store {
  /** Write a record unless its id is taken. Resolves `false` (changing nothing) when it is. */
  create(namespace: string, record: RecordWrite): Promise<boolean>;
  /**
   * Write a record whether or not it exists (a new one gets revision 1, an existing one the next
   * revision; its createdAt stays). Rejects with StoreConflictError when the id belongs to
   * another principal.
   */
  put(namespace: string, record: RecordWrite): Promise<StoredRecord>;
  /** The record, or undefined when it never existed, expired or was deleted. */
  get(namespace: string, id: string): Promise<StoredRecord | undefined>;
  /**
   * Compare-and-set: replace the value only if the record is still at `expectedRevision`.
   * Resolves the new record, or undefined when the record moved on or is gone (so of two
   * racing updates from the same revision exactly one wins).
   */
  update(namespace: string, update: { id: string; expectedRevision: number; value: string; ttlMs: number }): Promise<StoredRecord | undefined>;
  /** Remove a record; resolves whether there was one. */
  delete(namespace: string, id: string): Promise<boolean>;
  /** One principal's records in a namespace, newest first, at most `limit` (default and cap {@link MAX_LIST_LIMIT}). */
  list(namespace: string, principal: string, options?: { limit?: number }): Promise<StoredRecord[]>;

  /** Take the lease `name` for `ttlMs` if nobody holds it (or the last holder's expired). */
  acquireLease(name: string, ttlMs: number): Promise<Lease | undefined>;
  /** Extend a lease to `ttlMs` from now; `false` when it is no longer this holder's. */
  renewLease(lease: Lease, ttlMs: number): Promise<boolean>;
  /** Give a lease up so another can take it at once; `false` when it was no longer this holder's. */
  releaseLease(lease: Lease): Promise<boolean>;

  /** Send `message` to every subscriber of `channel` on every replica (this one included). */
  publish(channel: string, message: string): Promise<void>;
  /**
   * Receive the messages published on `channel` from now on, in order. Resolves once the
   * subscription is live, so a message published after that is delivered. A handler that
   * throws is reported through the engine's `onError` and does not stop delivery.
   */
  subscribe(channel: string, onMessage: (message: string) => void): Promise<Subscription>;

  status(): StoreStatus;
  /** Let go of connections and timers. Later calls reject. */
  close(): Promise<void>;
}

/** Most records one `list` returns; also its default. */
export const MAX_LIST_LIMIT = 1000;
/** Largest encoded value or message we store: transcripts of long runs are big, but not this big. */
export const MAX_VALUE_BYTES = 32 * 1024 * 1024;
/** Longest TTL a record or lease may ask for (a year); a mistyped unit fails loudly instead. */
export const MAX_TTL_MSEC = 365 * 24 * 60 * 60 * 1000;

const NAMESPACE = /^[a-z][a-z0-9-]{0,31}$/;
const CHANNEL = /^[A-Za-z0-9][A-Za-z0-9:._@-]{0,199}$/;
const MAX_ID_LENGTH = 256;

/** Throw a StoreError unless `namespace` is a short lower-case name (e.g. `runs`, `tasks`). */
export function assertNamespace(namespace: string): void {
  if (!NAMESPACE.test(namespace)) throw new StoreError(`namespace ${JSON.stringify(namespace)} must match ${NAMESPACE}`);
}

/** Throw a StoreError unless `value` is a non-empty string of at most 256 characters without whitespace. */
export function assertKeyPart(what: 'id' | 'principal' | 'lease name', value: string): void {
  if (value.length === 0 || value.length > MAX_ID_LENGTH || /\s/.test(value)) {
    throw new StoreError(`${what} ${JSON.stringify(value.slice(0, 40))} must be 1 to ${MAX_ID_LENGTH} characters without whitespace`);
  }
}

/** Throw a StoreError unless `channel` is a plain channel name. */
export function assertChannel(channel: string): void {
  if (!CHANNEL.test(channel)) throw new StoreError(`channel ${JSON.stringify(channel.slice(0, 40))} must match ${CHANNEL}`);
}

/** Throw a StoreError unless `ttlMs` is a whole number of milliseconds in (0, {@link MAX_TTL_MSEC}]. */
export function assertTtl(ttlMs: number): void {
  if (!Number.isInteger(ttlMs) || ttlMs <= 0 || ttlMs > MAX_TTL_MSEC) {
    throw new StoreError(`ttlMs must be a whole number of milliseconds between 1 and ${MAX_TTL_MSEC}, not ${ttlMs}`);
  }
}

/** Throw a StoreError when `value` is over {@link MAX_VALUE_BYTES}. */
export function assertValueSize(what: string, value: string): void {
  // Cheap pre-check: a string never takes more than 3 UTF-8 bytes per UTF-16 unit.
  if (value.length * 3 <= MAX_VALUE_BYTES) return;
  const bytes = Buffer.byteLength(value, 'utf8');
  if (bytes > MAX_VALUE_BYTES) throw new StoreError(`${what} is ${bytes} bytes; the store keeps at most ${MAX_VALUE_BYTES}`);
}

/** Checks shared by both engines before any write. */
export function assertRecordWrite(namespace: string, record: RecordWrite): void {
  assertNamespace(namespace);
  assertKeyPart('id', record.id);
  assertKeyPart('principal', record.principal);
  assertTtl(record.ttlMs);
  assertValueSize(`the value of ${namespace}/${record.id}`, record.value);
}

/** The list limit to use: the asked one, clamped to 1..{@link MAX_LIST_LIMIT}. */
export function clampListLimit(limit: number | undefined): number {
  if (limit === undefined) return MAX_LIST_LIMIT;
  if (!Number.isInteger(limit) || limit < 1) throw new StoreError(`limit must be a positive whole number, not ${limit}`);
  return Math.min(limit, MAX_LIST_LIMIT);
}
