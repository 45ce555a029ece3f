/**
 * From a parsed `--store` value to a running engine: memory (the default) or Redis.
 */
import { createMemoryStore } from './memory-store.js';
import type { Store, StoreLogger } from './store.js';
import type { StoreLocation } from './store-url.js';

/**
 * Open the store `location` names. Rejects with a StoreError naming the Redis target when it
 * cannot be reached at start-up, so a server fails fast instead of serving without its state.
 */
export async function openStore(location: StoreLocation, options: { logger?: StoreLogger } = {}): Promise<Store> {
  const logger = options.logger && { logger: options.logger };
  if (location.engine === 'memory') return createMemoryStore({ ...logger });
  // Loaded only for Redis: ioredis costs every other start ~3 MiB and its load time.
  const { createRedisStore } = await import('./redis-store.js');
  return createRedisStore({ url: location.url, target: location.target, ...logger });
}
