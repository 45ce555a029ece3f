/**
 * The replica harness (test/helpers/replicas.ts) against the built server: two replicas on one
 * real redis-server behind the round-robin proxy. Both serve, /readyz names the shared store,
 * and a SIGKILLed replica leaves the other serving through the proxy.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithRedis } from '../helpers/redis-server.js';
import { startReplicaSet, writeTokensFile, type ReplicaSet } from '../helpers/replicas.js';
import { rawHttpClient } from '../helpers/raw-2026-client.js';
import { REPO_ROOT } from '../helpers/stdio-server.js';

const TOKEN = 'harness-token-0123456789abcdef';

describeWithRedis('replica harness: two built replicas on one Redis behind a round-robin proxy', (redis) => {
  let tmp: string;
  let set: ReplicaSet;
  beforeAll(async () => {
    tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'replica-harness-')));
    const tokens = await writeTokensFile(tmp, { alice: TOKEN });
    set = await startReplicaSet({ storeUrl: redis().url, args: ['--agents', path.join(REPO_ROOT, 'agents'), '--no-watch', '--workspace', tmp, '--auth-tokens', tokens] });
  });
  afterAll(async () => {
    await set?.close();
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it('serves requests from both replicas in turn, each ready on the shared Redis store', async () => {
    const client = rawHttpClient(set.proxy.url, { Authorization: `Bearer ${TOKEN}` });
    for (let i = 0; i < 4; i++) expect((await client.request('tools/list')).tools).toEqual(expect.any(Array));
    expect(set.proxy.served().map((s) => s.target)).toEqual([0, 1, 0, 1]);
    for (const index of [0, 1]) {
      const ready = await set.readyz(index);
      expect(ready.status).toBe(200);
      expect(ready.body['store']).toEqual({ engine: 'redis', target: redis().url, connected: true });
    }
  });

  it('keeps serving through the survivor after one replica is SIGKILLed', async () => {
    expect(await set.kill(0)).toBeNull();
    expect(set.isAlive(0)).toBe(false);
    const client = rawHttpClient(set.proxy.url, { Authorization: `Bearer ${TOKEN}` });
    const before = set.proxy.served().length;
    for (let i = 0; i < 2; i++) expect((await client.request('tools/list')).tools).toEqual(expect.any(Array));
    expect(set.proxy.served().slice(before).map((s) => s.target)).toEqual([1, 1]);
    expect(set.isAlive(1)).toBe(true);
  });
});
