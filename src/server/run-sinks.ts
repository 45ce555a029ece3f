/**
 * Where a live run's progress and logs go: to the request of its caller that is open now (each
 * input_required round, or the blocking call, attaches itself), on whichever replica that request
 * reached. A run executing here reports to the request attached here, and, when replicas share the
 * store, over the `live-runs.sinks` channel to a request attached on another replica.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createChannel } from '../store/channel.js';
import type { Store, Subscription } from '../store/store.js';
import type { RoundSink } from './live-runs.js';

/** `from`: the relaying process, which hears its own relay and must not deliver it twice. */
const Relayed = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('progress'), from: z.string(), id: z.string(), progress: z.number(), message: z.string() }),
  z.object({ kind: z.literal('log'), from: z.string(), id: z.string(), level: z.enum(['info', 'error']), data: z.record(z.string(), z.unknown()) }),
]);

export interface RunSinks {
  /** Send run `id`'s progress and logs to `sink` until the returned function detaches it. */
  attach(id: string, sink: RoundSink): () => void;
  /** What run `id`, executing here, reports to. */
  sinkFor(id: string): RoundSink;
  close(): Promise<void>;
}

export interface RunSinksOptions {
  store: Store;
  /** Relay to other replicas (they share the store). */
  shared: boolean;
  onInvalid(error: Error): void;
}

/** Create the sinks; with `shared`, subscribe to the relay. */
export async function createRunSinks(options: RunSinksOptions): Promise<RunSinks> {
  const attached = new Map<string, RoundSink>();
  const self = randomUUID();
  const channel = createChannel(options.store, { name: 'live-runs.sinks', schema: Relayed, onInvalid: options.onInvalid });
  const subscription: Subscription | undefined = options.shared
    ? await channel.subscribe((message) => {
        // The executing replica hears its own relay too; its request got the report already.
        if (message.from === self) return;
        const sink = attached.get(message.id);
        if (message.kind === 'progress') sink?.progress({ progress: message.progress, message: message.message });
        else sink?.log(message.level, message.data);
      })
    : undefined;
  const relay = (message: z.infer<typeof Relayed>): void => void channel.publish(message).catch(() => undefined);
  return {
    attach(id, sink) {
      attached.set(id, sink);
      return () => {
        if (attached.get(id) === sink) attached.delete(id);
      };
    },
    sinkFor(id) {
      return {
        progress(update) {
          attached.get(id)?.progress(update);
          if (options.shared) relay({ kind: 'progress', from: self, id, ...update });
        },
        log(level, data) {
          attached.get(id)?.log(level, data);
          if (options.shared) relay({ kind: 'log', from: self, id, level, data });
        },
      };
    },
    close: async () => subscription?.unsubscribe(),
  };
}
