/**
 * Pub/sub on the Redis engine's subscriber connection: one SUBSCRIBE per channel however many
 * handlers listen, handlers registered before the SUBSCRIBE reply (so nothing published after
 * `subscribe` resolves is missed), and a handler that throws logged, never fatal.
 */
import { assertChannel, assertValueSize, type Store, type StoreLogger, type Subscription } from './store.js';
import type { RedisConnections } from './redis-connection.js';

/** The channel half of the Store, plus `clear` for close. */
export type RedisChannels = Pick<Store, 'publish' | 'subscribe'> & { clear(): void };

/** Channels over `connections`, their keys made by `channelKey`; `prefix` is cut from keys in logs. */
export function createRedisChannels(options: { connections: RedisConnections; channelKey: (channel: string) => string; prefix: string; target: string; logger?: StoreLogger }): RedisChannels {
  const { connections, channelKey, prefix, target, logger } = options;
  const { client, subscriber, call } = connections;
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

    clear() {
      channels.clear();
    },
  };
}
