/**
 * The store: what a second replica needs to answer a request (see docs/team-server.md).
 */
export type { Lease, RecordWrite, Store, StoredRecord, StoreLogger, StoreStatus, Subscription } from './store.js';
export { MAX_LIST_LIMIT, MAX_TTL_MSEC, MAX_VALUE_BYTES } from './store.js';
export { StoreConflictError, StoreDataError, StoreError, StoreUnavailableError } from './errors.js';
export { createMemoryStore, type MemoryStoreOptions } from './memory-store.js';
export { createRedisStore, type RedisStoreOptions } from './redis-store.js';
export { DEFAULT_STORE, StoreLocationSchema, type StoreLocation } from './store-url.js';
export { openStore } from './create-store.js';
export { createCollection, type Collection, type CollectionOptions, type TypedRecord } from './collection.js';
export { createChannel, type Channel, type ChannelOptions } from './channel.js';
export { holdLease, LeaseLostError, type HeldLease, type HoldLeaseOptions } from './lease-keeper.js';
