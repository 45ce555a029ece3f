/**
 * What only the Redis engine does: two replicas share one Redis, and a Redis that dies and comes
 * back is answered with clear errors and then recovery, never a crash or a hang.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeWithRedis } from '../../test/helpers/redis-server.js';
import { StoreError, StoreUnavailableError } from './errors.js';
import { createRedisStore } from './redis-store.js';
import type { Store, StoreLogger } from './store.js';

const TTL = 60_000;
const RECONNECT_WAIT = { timeout: 10_000, interval: 20 };

function recordingLogger(): StoreLogger & { lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> } {
  const lines: Array<{ level: string; message: string; fields: Record<string, unknown> }> = [];
  return {
    lines,
    info: (fields, message) => lines.push({ level: 'info', message, fields }),
    warn: (fields, message) => lines.push({ level: 'warn', message, fields }),
  };
}

describeWithRedis('Redis store across replicas', (redis) => {
  let a: Store;
  let b: Store;
  beforeAll(async () => {
    const keyPrefix = `replicas-${randomUUID()}:`;
    a = await createRedisStore({ url: redis().url, target: redis().url, keyPrefix });
    b = await createRedisStore({ url: redis().url, target: redis().url, keyPrefix });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('a record written by one replica is read, listed and updated by the other', async () => {
    const id = randomUUID();
    await a.create('tasks', { id, principal: 'alice', value: 'working', ttlMs: TTL });
    expect(await b.get('tasks', id)).toMatchObject({ principal: 'alice', value: 'working' });
    expect((await b.list('tasks', 'alice')).map((r) => r.id)).toContain(id);
    expect(await b.update('tasks', { id, expectedRevision: 1, value: 'completed', ttlMs: TTL })).toBeDefined();
    expect(await a.update('tasks', { id, expectedRevision: 1, value: 'failed', ttlMs: TTL })).toBeUndefined();
  });

  it("a lease one replica holds cannot be taken by the other until it is released", async () => {
    const name = randomUUID();
    const held = (await a.acquireLease(name, TTL))!;
    expect(await b.acquireLease(name, TTL)).toBeUndefined();
    await a.releaseLease(held);
    expect(await b.acquireLease(name, TTL)).toBeDefined();
  });

  it('a message published on one replica reaches subscribers on both', async () => {
    const channel = `cancel-${randomUUID()}`;
    let onA!: (m: string) => void;
    let onB!: (m: string) => void;
    const gotA = new Promise<string>((resolve) => (onA = resolve));
    const gotB = new Promise<string>((resolve) => (onB = resolve));
    const subscriptions = await Promise.all([a.subscribe(channel, (m) => onA(m)), b.subscribe(channel, (m) => onB(m))]);
    await a.publish(channel, 'cancel run 42');
    expect(await gotB).toBe('cancel run 42');
    expect(await gotA).toBe('cancel run 42');
    await Promise.all(subscriptions.map((s) => s.unsubscribe()));
  });

  it('stores with different key prefixes on one Redis do not see each other', async () => {
    const other = await createRedisStore({ url: redis().url, target: redis().url, keyPrefix: `other-${randomUUID()}:` });
    try {
      const id = randomUUID();
      await a.create('runs', { id, principal: 'alice', value: 'v', ttlMs: TTL });
      expect(await other.get('runs', id)).toBeUndefined();
    } finally {
      await other.close();
    }
  });
});

describeWithRedis('Redis store when Redis goes away', (redis) => {
  let store: Store;
  const logger = recordingLogger();
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown): void => {
    unhandled.push(reason);
  };
  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    store = await createRedisStore({ url: redis().url, target: redis().url, logger, maxReconnectDelayMs: 200 });
  });
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await store?.close();
  });

  it('answers calls with StoreUnavailableError naming the target while Redis is dead, then recovers when it is back', async () => {
    const id = randomUUID();
    await store.create('runs', { id, principal: 'alice', value: 'before', ttlMs: TTL });
    const received: string[] = [];
    await store.subscribe('list-changed', (m) => received.push(m));

    await redis().kill('SIGKILL');
    const failure = await store.get('runs', id).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreUnavailableError);
    expect((failure as Error).message).toContain(redis().url);
    expect((failure as Error).message).toMatch(/retry/);
    await vi.waitFor(() => expect(store.status().connected).toBe(false), RECONNECT_WAIT);
    // Every kind of call fails the same way, at once, rather than queueing until Redis is back.
    for (const call of [
      () => store.put('runs', { id, principal: 'alice', value: 'during', ttlMs: TTL }),
      () => store.list('runs', 'alice'),
      () => store.acquireLease(randomUUID(), TTL),
      () => store.publish('list-changed', 'lost'),
    ]) {
      await expect(call()).rejects.toThrow(StoreUnavailableError);
    }
    expect(logger.lines.filter((l) => l.message.includes('store connection lost'))).not.toHaveLength(0);

    await redis().restart();
    await vi.waitFor(() => expect(store.status().connected).toBe(true), RECONNECT_WAIT);
    expect(logger.lines.some((l) => l.message === 'store reconnected')).toBe(true);
    // The test's Redis keeps nothing across a restart; a production one with persistence would.
    expect(await store.get('runs', id)).toBeUndefined();
    expect(await store.create('runs', { id, principal: 'alice', value: 'after', ttlMs: TTL })).toBe(true);
    // The subscription comes back by itself.
    await vi.waitFor(async () => {
      await store.publish('list-changed', 'after restart');
      expect(received).toContain('after restart');
    }, RECONNECT_WAIT);
    expect(received).not.toContain('lost');
    expect(unhandled).toEqual([]);
  });

});

describe('createRedisStore at start-up', () => {
  it('rejects with a StoreError naming the target when nothing listens there', async () => {
    const port = await new Promise<number>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
      });
    });
    const target = `redis://127.0.0.1:${port}/0`;
    const failure = await createRedisStore({ url: target, target, connectTimeoutMs: 2_000 }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as Error).message).toContain(`cannot reach Redis at ${target}`);
  });
});
