/**
 * One contract, two engines: the in-memory store and the Redis store (against a real
 * redis-server this file starts) must behave the same through the Store seam.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { describeWithRedis } from '../../test/helpers/redis-server.js';
import { StoreConflictError, StoreError } from './errors.js';
import { createMemoryStore } from './memory-store.js';
import { createRedisStore } from './redis-store.js';
import { MAX_LIST_LIMIT, type Store } from './store.js';

const LONG_TTL_MSEC = 60_000;
/** Short enough that expiry tests wait only a moment, long enough to outlast a busy machine's stall between two calls. */
const SHORT_TTL_MSEC = 40;
/** Upper bound on waiting for something that expires after SHORT_TTL_MSEC. */
const EXPIRY_WAIT = { timeout: 5_000, interval: 10 };

const fresh = (label: string): string => `${label}-${randomUUID()}`;

/** Resolves with the first `count` messages `channel` delivers. */
async function collect(store: Store, channel: string, count: number): Promise<{ messages: Promise<string[]>; unsubscribe: () => Promise<void> }> {
  const received: string[] = [];
  let done!: (messages: string[]) => void;
  const messages = new Promise<string[]>((resolve) => {
    done = resolve;
  });
  const subscription = await store.subscribe(channel, (message) => {
    received.push(message);
    if (received.length === count) done(received);
  });
  return { messages, unsubscribe: () => subscription.unsubscribe() };
}

function describeStoreContract(engine: string, open: () => Promise<Store>): void {
  describe(`Store contract (${engine})`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
    });

    describe('records', () => {
      it('create writes a record that get reads back with its owner and revision 1', async () => {
        const id = fresh('run');
        expect(await store.create('runs', { id, principal: 'alice', value: '{"n":1}', ttlMs: LONG_TTL_MSEC })).toBe(true);
        const record = await store.get('runs', id);
        expect(record).toMatchObject({ id, principal: 'alice', value: '{"n":1}', revision: 1 });
        expect(record!.updatedAt).toBe(record!.createdAt);
      });

      it('create on a taken id resolves false and leaves the record as it was', async () => {
        const id = fresh('run');
        await store.create('runs', { id, principal: 'alice', value: 'first', ttlMs: LONG_TTL_MSEC });
        expect(await store.create('runs', { id, principal: 'bob', value: 'second', ttlMs: LONG_TTL_MSEC })).toBe(false);
        expect(await store.get('runs', id)).toMatchObject({ principal: 'alice', value: 'first', revision: 1 });
      });

      it('of twenty racing creates of one id exactly one wins', async () => {
        const id = fresh('approval');
        const results = await Promise.all(
          Array.from({ length: 20 }, (_, i) => store.create('approvals', { id, principal: 'alice', value: `answer-${i}`, ttlMs: LONG_TTL_MSEC })),
        );
        expect(results.filter(Boolean)).toHaveLength(1);
        const winner = results.indexOf(true);
        expect((await store.get('approvals', id))!.value).toBe(`answer-${winner}`);
      });

      it('namespaces are apart: the same id in two namespaces is two records', async () => {
        const id = fresh('shared');
        await store.create('runs', { id, principal: 'alice', value: 'run', ttlMs: LONG_TTL_MSEC });
        expect(await store.create('tasks', { id, principal: 'alice', value: 'task', ttlMs: LONG_TTL_MSEC })).toBe(true);
        expect((await store.get('runs', id))!.value).toBe('run');
        expect((await store.get('tasks', id))!.value).toBe('task');
      });

      it('get of an unknown id resolves undefined', async () => {
        expect(await store.get('runs', fresh('nothing'))).toBeUndefined();
      });

      it('put creates, then overwrites with the next revision, keeping createdAt and the owner', async () => {
        const id = fresh('checkpoint');
        const first = await store.put('checkpoints', { id, principal: 'alice', value: 'turn-1', ttlMs: LONG_TTL_MSEC });
        expect(first).toMatchObject({ id, principal: 'alice', value: 'turn-1', revision: 1 });
        const second = await store.put('checkpoints', { id, principal: 'alice', value: 'turn-2', ttlMs: LONG_TTL_MSEC });
        expect(second).toMatchObject({ value: 'turn-2', revision: 2, createdAt: first.createdAt });
        expect(await store.get('checkpoints', id)).toEqual(second);
      });

      it("put over another principal's record rejects with StoreConflictError and changes nothing", async () => {
        const id = fresh('run');
        await store.create('runs', { id, principal: 'alice', value: 'mine', ttlMs: LONG_TTL_MSEC });
        await expect(store.put('runs', { id, principal: 'mallory', value: 'stolen', ttlMs: LONG_TTL_MSEC })).rejects.toThrow(StoreConflictError);
        expect(await store.get('runs', id)).toMatchObject({ principal: 'alice', value: 'mine', revision: 1 });
        expect((await store.list('runs', 'mallory')).map((r) => r.id)).not.toContain(id);
      });

      it('update at the current revision writes the next revision; at a stale one it changes nothing', async () => {
        const id = fresh('task');
        await store.create('tasks', { id, principal: 'alice', value: 'working', ttlMs: LONG_TTL_MSEC });
        const updated = await store.update('tasks', { id, expectedRevision: 1, value: 'completed', ttlMs: LONG_TTL_MSEC });
        expect(updated).toMatchObject({ id, principal: 'alice', value: 'completed', revision: 2 });
        expect(await store.update('tasks', { id, expectedRevision: 1, value: 'failed', ttlMs: LONG_TTL_MSEC })).toBeUndefined();
        expect(await store.get('tasks', id)).toMatchObject({ value: 'completed', revision: 2 });
      });

      it('of ten racing updates from one revision exactly one wins (a task completes once)', async () => {
        const id = fresh('task');
        await store.create('tasks', { id, principal: 'alice', value: 'working', ttlMs: LONG_TTL_MSEC });
        const results = await Promise.all(
          Array.from({ length: 10 }, (_, i) => store.update('tasks', { id, expectedRevision: 1, value: `completed-by-${i}`, ttlMs: LONG_TTL_MSEC })),
        );
        const winners = results.filter((r) => r !== undefined);
        expect(winners).toHaveLength(1);
        expect(await store.get('tasks', id)).toMatchObject({ value: winners[0]!.value, revision: 2 });
      });

      it('update of a missing record resolves undefined and creates nothing', async () => {
        const id = fresh('task');
        expect(await store.update('tasks', { id, expectedRevision: 0, value: 'x', ttlMs: LONG_TTL_MSEC })).toBeUndefined();
        expect(await store.get('tasks', id)).toBeUndefined();
      });

      it('delete removes a record from get and from its owner’s list, and says whether there was one', async () => {
        const principal = fresh('p');
        const id = fresh('run');
        await store.create('runs', { id, principal, value: 'v', ttlMs: LONG_TTL_MSEC });
        expect(await store.delete('runs', id)).toBe(true);
        expect(await store.get('runs', id)).toBeUndefined();
        expect(await store.list('runs', principal)).toEqual([]);
        expect(await store.delete('runs', id)).toBe(false);
      });

      it('after a delete the id can be created again, by another principal, without showing in the first one’s list', async () => {
        const [alice, bob] = [fresh('alice'), fresh('bob')];
        const id = fresh('run');
        await store.create('runs', { id, principal: alice, value: 'a', ttlMs: LONG_TTL_MSEC });
        await store.delete('runs', id);
        expect(await store.create('runs', { id, principal: bob, value: 'b', ttlMs: LONG_TTL_MSEC })).toBe(true);
        expect(await store.list('runs', alice)).toEqual([]);
        expect((await store.list('runs', bob)).map((r) => r.value)).toEqual(['b']);
      });

      it("an expired id taken by another principal never shows in the first one's list", async () => {
        const [alice, bob] = [fresh('alice'), fresh('bob')];
        const id = fresh('run');
        await store.create('runs', { id: fresh('kept'), principal: alice, value: 'kept', ttlMs: LONG_TTL_MSEC });
        await store.create('runs', { id, principal: alice, value: 'a', ttlMs: SHORT_TTL_MSEC });
        await vi.waitFor(async () => expect(await store.create('runs', { id, principal: bob, value: 'b', ttlMs: LONG_TTL_MSEC })).toBe(true), EXPIRY_WAIT);
        expect((await store.list('runs', alice)).map((r) => r.value)).toEqual(['kept']);
        expect((await store.list('runs', bob)).map((r) => r.value)).toEqual(['b']);
      });

      it('a record is gone from get and list once its TTL has passed', async () => {
        const principal = fresh('p');
        const id = fresh('transcript');
        await store.create('transcripts', { id, principal, value: 'v', ttlMs: SHORT_TTL_MSEC });
        await store.create('transcripts', { id: fresh('kept'), principal, value: 'kept', ttlMs: LONG_TTL_MSEC });
        await vi.waitFor(async () => expect(await store.get('transcripts', id)).toBeUndefined(), EXPIRY_WAIT);
        expect((await store.list('transcripts', principal)).map((r) => r.value)).toEqual(['kept']);
      });

      it('each write restarts the TTL', async () => {
        const id = fresh('checkpoint');
        await store.put('checkpoints', { id, principal: 'alice', value: 'short', ttlMs: SHORT_TTL_MSEC });
        await store.put('checkpoints', { id, principal: 'alice', value: 'long', ttlMs: LONG_TTL_MSEC });
        // A second record with the short TTL shows when the first would have expired.
        const witness = fresh('witness');
        await store.put('checkpoints', { id: witness, principal: 'alice', value: 'w', ttlMs: SHORT_TTL_MSEC });
        await vi.waitFor(async () => expect(await store.get('checkpoints', witness)).toBeUndefined(), EXPIRY_WAIT);
        expect((await store.get('checkpoints', id))!.value).toBe('long');
      });
    });

    describe('listing by principal', () => {
      it("lists only the principal's own records, newest first", async () => {
        const [alice, bob] = [fresh('alice'), fresh('bob')];
        // Ids ascend with creation order, so ties on the clock order them the same way.
        for (const n of [1, 2, 3]) await store.create('runs', { id: `${alice}-run-${n}`, principal: alice, value: `a${n}`, ttlMs: LONG_TTL_MSEC });
        await store.create('runs', { id: `${bob}-run-1`, principal: bob, value: 'b1', ttlMs: LONG_TTL_MSEC });
        expect((await store.list('runs', alice)).map((r) => r.value)).toEqual(['a3', 'a2', 'a1']);
        expect((await store.list('runs', bob)).map((r) => r.value)).toEqual(['b1']);
        expect(await store.list('tasks', alice)).toEqual([]);
      });

      it('returns at most `limit` records, the newest', async () => {
        const principal = fresh('p');
        for (const n of [1, 2, 3, 4]) await store.create('runs', { id: `${principal}-${n}`, principal, value: `v${n}`, ttlMs: LONG_TTL_MSEC });
        expect((await store.list('runs', principal, { limit: 2 })).map((r) => r.value)).toEqual(['v4', 'v3']);
      });

      it('listed records carry what get returns', async () => {
        const principal = fresh('p');
        const id = fresh('run');
        await store.create('runs', { id, principal, value: 'v', ttlMs: LONG_TTL_MSEC });
        await store.update('runs', { id, expectedRevision: 1, value: 'v2', ttlMs: LONG_TTL_MSEC });
        expect(await store.list('runs', principal)).toEqual([await store.get('runs', id)]);
      });

      it(`clamps a larger limit to ${MAX_LIST_LIMIT} and refuses a limit below 1`, async () => {
        const principal = fresh('p');
        await store.create('runs', { id: fresh('run'), principal, value: 'v', ttlMs: LONG_TTL_MSEC });
        expect(await store.list('runs', principal, { limit: MAX_LIST_LIMIT * 10 })).toHaveLength(1);
        await expect(store.list('runs', principal, { limit: 0 })).rejects.toThrow(/limit must be a positive whole number/);
      });
    });

    describe('leases', () => {
      it('one holder at a time: a held lease cannot be acquired again', async () => {
        const name = fresh('run-lease');
        const lease = await store.acquireLease(name, LONG_TTL_MSEC);
        expect(lease).toMatchObject({ name });
        expect(await store.acquireLease(name, LONG_TTL_MSEC)).toBeUndefined();
      });

      it('holder tokens are random per acquisition', async () => {
        const a = await store.acquireLease(fresh('lease'), LONG_TTL_MSEC);
        const b = await store.acquireLease(fresh('lease'), LONG_TTL_MSEC);
        expect(a!.token).not.toBe(b!.token);
        expect(a!.token.length).toBeGreaterThanOrEqual(16);
      });

      it('only the holder can renew or release; a guessed token changes nothing', async () => {
        const name = fresh('lease');
        const lease = (await store.acquireLease(name, LONG_TTL_MSEC))!;
        const forged = { name, token: 'not-the-holder-token' };
        expect(await store.renewLease(forged, LONG_TTL_MSEC)).toBe(false);
        expect(await store.releaseLease(forged)).toBe(false);
        expect(await store.acquireLease(name, LONG_TTL_MSEC)).toBeUndefined();
        expect(await store.renewLease(lease, LONG_TTL_MSEC)).toBe(true);
        expect(await store.releaseLease(lease)).toBe(true);
      });

      it('a released lease can be taken at once by another; the old holder can no longer renew it', async () => {
        const name = fresh('lease');
        const first = (await store.acquireLease(name, LONG_TTL_MSEC))!;
        await store.releaseLease(first);
        const second = await store.acquireLease(name, LONG_TTL_MSEC);
        expect(second).toBeDefined();
        expect(await store.renewLease(first, LONG_TTL_MSEC)).toBe(false);
        expect(await store.releaseLease(first)).toBe(false);
      });

      it('an expired lease lets another take it, and the old holder can then neither renew nor release it', async () => {
        const name = fresh('lease');
        const first = (await store.acquireLease(name, SHORT_TTL_MSEC))!;
        let second: Awaited<ReturnType<Store['acquireLease']>>;
        await vi.waitFor(async () => {
          second = await store.acquireLease(name, LONG_TTL_MSEC);
          expect(second).toBeDefined();
        }, EXPIRY_WAIT);
        expect(second!.token).not.toBe(first.token);
        expect(await store.renewLease(first, LONG_TTL_MSEC)).toBe(false);
        expect(await store.releaseLease(first)).toBe(false);
        expect(await store.renewLease(second!, LONG_TTL_MSEC)).toBe(true);
      });

      it('renewing extends a lease past its first TTL', async () => {
        const kept = (await store.acquireLease(fresh('lease'), 300))!;
        expect(await store.renewLease(kept, LONG_TTL_MSEC)).toBe(true);
        // A witness taken after with the same first TTL shows when `kept` would have expired.
        const witnessName = fresh('witness');
        await store.acquireLease(witnessName, 300);
        await vi.waitFor(async () => expect(await store.acquireLease(witnessName, LONG_TTL_MSEC)).toBeDefined(), EXPIRY_WAIT);
        expect(await store.acquireLease(kept.name, LONG_TTL_MSEC)).toBeUndefined();
        expect(await store.renewLease(kept, LONG_TTL_MSEC)).toBe(true);
      });
    });

    describe('channels', () => {
      it('delivers every message published after subscribe resolves, in order', async () => {
        const channel = fresh('tasks');
        const { messages, unsubscribe } = await collect(store, channel, 3);
        for (const m of ['one', 'two', 'three']) await store.publish(channel, m);
        expect(await messages).toEqual(['one', 'two', 'three']);
        await unsubscribe();
      });

      it('delivers to every subscriber of the channel and none of another channel', async () => {
        const [channel, other] = [fresh('list-changed'), fresh('list-changed')];
        const first = await collect(store, channel, 2);
        const second = await collect(store, channel, 2);
        const elsewhere: string[] = [];
        const otherSubscription = await store.subscribe(other, (m) => elsewhere.push(m));
        await store.publish(channel, 'a');
        await store.publish(channel, 'b');
        expect(await first.messages).toEqual(['a', 'b']);
        expect(await second.messages).toEqual(['a', 'b']);
        expect(elsewhere).toEqual([]);
        await Promise.all([first.unsubscribe(), second.unsubscribe(), otherSubscription.unsubscribe()]);
      });

      it('after unsubscribe a handler gets nothing, while another subscriber still does', async () => {
        const channel = fresh('cancel');
        const dropped: string[] = [];
        const subscription = await store.subscribe(channel, (m) => dropped.push(m));
        await subscription.unsubscribe();
        const witness = await collect(store, channel, 1);
        await store.publish(channel, 'after');
        // The witness got it, so any delivery to the dropped handler would have happened by now.
        expect(await witness.messages).toEqual(['after']);
        expect(dropped).toEqual([]);
        await witness.unsubscribe();
      });

      it('a subscriber that throws does not stop delivery to it or to others', async () => {
        const channel = fresh('tasks');
        const seenByThrower: string[] = [];
        const thrower = await store.subscribe(channel, (m) => {
          seenByThrower.push(m);
          throw new Error('subscriber bug');
        });
        const other = await collect(store, channel, 2);
        await store.publish(channel, 'x');
        await store.publish(channel, 'y');
        expect(await other.messages).toEqual(['x', 'y']);
        expect(seenByThrower).toEqual(['x', 'y']);
        await Promise.all([thrower.unsubscribe(), other.unsubscribe()]);
      });
    });

    describe('bad input', () => {
      it.each([
        ['a namespace with capitals', (s: Store) => s.get('Runs', 'x'), /namespace/],
        ['an empty id', (s: Store) => s.get('runs', ''), /id "" must be/],
        ['an id with whitespace', (s: Store) => s.create('runs', { id: 'a b', principal: 'p', value: 'v', ttlMs: 1000 }), /id "a b" must be/],
        ['a zero TTL', (s: Store) => s.create('runs', { id: 'x', principal: 'p', value: 'v', ttlMs: 0 }), /ttlMs/],
        ['a fractional TTL', (s: Store) => s.acquireLease('l', 1.5), /ttlMs/],
        ['a channel with spaces', (s: Store) => s.publish('a b', 'm'), /channel/],
      ])('rejects %s with a StoreError that says what is wrong', async (_label, call, message) => {
        await expect(call(store)).rejects.toThrow(StoreError);
        await expect(call(store)).rejects.toThrow(message);
      });

      it('a closed store rejects every call with a StoreError', async () => {
        const other = await open();
        await other.close();
        await expect(other.get('runs', 'x')).rejects.toThrow(/closed/);
        await expect(other.publish('c', 'm')).rejects.toThrow(StoreError);
      });
    });
  });
}

describeStoreContract('memory', async () => createMemoryStore());

describeWithRedis('Redis engine', (redis) => {
  describeStoreContract('redis', async () =>
    createRedisStore({ url: redis().url, target: redis().url, keyPrefix: `contract-${randomUUID()}:` }),
  );
});
