/**
 * Typed pub/sub on the Store: messages are JSON, checked with a zod schema on arrival, since any
 * replica (perhaps another version of this server) may have sent them.
 */
import type { z } from 'zod';
import { StoreDataError } from './errors.js';
import { assertChannel, type Store, type Subscription } from './store.js';

/** One channel, typed. */
export interface Channel<T> {
  publish(message: T): Promise<void>;
  /** Receive messages that match the schema; others go to the channel's `onInvalid`. */
  subscribe(onMessage: (message: T) => void): Promise<Subscription>;
}

/** Options for {@link createChannel}. */
export interface ChannelOptions<S extends z.ZodType> {
  /** e.g. `tasks`, `list-changed`, `cancel` (see Store.subscribe for what a name may hold). */
  name: string;
  schema: S;
  /** Told about each message that was not JSON or did not match the schema; it is dropped. */
  onInvalid(error: StoreDataError): void;
}

/** A typed view of the channel `options.name` on `store`. */
export function createChannel<S extends z.ZodType>(store: Store, options: ChannelOptions<S>): Channel<z.output<S>> {
  const { name, schema, onInvalid } = options;
  assertChannel(name);
  return {
    publish: (message) => store.publish(name, JSON.stringify(message)),
    subscribe: (onMessage) =>
      store.subscribe(name, (raw) => {
        let json: unknown;
        try {
          json = JSON.parse(raw);
        } catch {
          onInvalid(new StoreDataError(`a message on ${name} is not JSON (${raw.length} characters); dropped`));
          return;
        }
        const parsed = schema.safeParse(json);
        if (!parsed.success) {
          onInvalid(new StoreDataError(`a message on ${name} does not match its schema (${parsed.error.issues[0]?.message}); dropped`, { cause: parsed.error }));
          return;
        }
        onMessage(parsed.data);
      }),
  };
}
