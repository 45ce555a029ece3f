/**
 * Redis restarting under a team's two replicas (issue 17): a call in flight when Redis dies
 * still answers, reads of kept runs answer a clear "unreachable, retry" error, no replica
 * crashes and /readyz says the store is away; when Redis is back, calls and reads recover on
 * their own. Without persistence the runs kept before are gone; with an append-only file they
 * are readable again through either replica.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { reply, text } from '../fake-anthropic/steps.js';
import type { HttpServerProcess } from '../helpers/http-server.js';
import { describeWithRedis, type RedisServerProcess } from '../helpers/redis-server.js';
import { rawHttpClient, RawRpcError, type RawClient } from '../helpers/raw-2026-client.js';
import { bearer, callTeamAgent, listedRuns, runIdOf, startTeam, TEAM_AGENT, textOf, type Team } from '../helpers/team-replicas.js';

/** JSON-RPC internal error: the server's fault (its store is away), not the client's. */
const INTERNAL_ERROR = -32603;

/** Resolves when `replica` has logged `msg` about its command connection for the `nth` time. */
function nthStoreLog(replica: HttpServerProcess, msg: string, nth: number): Promise<unknown> {
  let seen = 0;
  return replica.waitForLog(msg, (line) => line['connection'] === 'commands' && ++seen === nth);
}

/** Restart Redis (SIGKILL, then start on the same port) and wait until every replica is back on it. */
async function restartRedis(team: Team, redis: RedisServerProcess, nth: number): Promise<void> {
  const back = team.set.replicas.map((r) => nthStoreLog(r, 'store reconnected', nth));
  await redis.restart();
  await Promise.all(back);
}

/** The JSON-RPC error a read gets. */
async function readError(client: RawClient, uri: string): Promise<RawRpcError> {
  const error = await client.request('resources/read', { uri }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RawRpcError);
  return error as RawRpcError;
}

describeWithRedis('Redis restarts without persistence under two replicas', (redis) => {
  let team: Team;
  let alice: RawClient;
  let keptBefore: string;
  beforeAll(async () => {
    team = await startTeam(redis().url, ['--stateless']);
    alice = rawHttpClient(team.set.proxy.url, bearer('alice'));
  });
  afterAll(async () => {
    await team?.close();
  });

  it('answers a call in flight when Redis dies, and answers reads with a clear error to retry; no replica crashes', async () => {
    keptBefore = runIdOf(await callTeamAgent(team, alice, 'Kept before.'));
    // The model holds its answer until Redis is gone, so the run ends (and is saved) during the outage.
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    team.fake.script(async () => {
      await released;
      return reply([text('Through the outage.')]);
    });
    const seen = team.fake.requests.length;
    const inFlight = alice.request('tools/call', { name: TEAM_AGENT, arguments: { prompt: 'work on' } });
    await team.fake.waitForRequests(seen + 1);
    const lost = team.set.replicas.map((r) => nthStoreLog(r, 'store connection lost; reconnecting', 1));
    await redis().kill();
    await Promise.all(lost);
    release();
    const answered = await inFlight;
    expect(textOf(answered)).toBe('Through the outage.');
    await Promise.any(team.set.replicas.map((r) => r.waitForLog('could not keep the run in the store; it goes on', (l) => l['run_id'] === runIdOf(answered))));

    // Reads through both replicas: the same clear error, a server fault, never "not found".
    for (const uri of [`run://${keptBefore}`, `run://${keptBefore}`, 'agents://runs', 'agents://runs']) {
      const error = await readError(alice, uri);
      expect(error.code).toBe(INTERNAL_ERROR);
      expect(error.message).toMatch(/The run store is unreachable.*Retry in a moment/);
    }
    const resume = await alice.request('tools/call', { name: TEAM_AGENT, arguments: { prompt: 'more', resume: keptBefore } });
    expect(resume['isError']).toBe(true);
    expect(textOf(resume)).toMatch(/Cannot resume: The run store is unreachable.*Retry in a moment/);
    // New calls still run while the store is away.
    expect(textOf(await callTeamAgent(team, alice, 'Still answering.'))).toBe('Still answering.');

    for (const index of [0, 1]) {
      expect(team.set.isAlive(index)).toBe(true);
      expect(await team.set.readyz(index)).toMatchObject({ status: 200, body: { status: 'ready', store: { engine: 'redis', connected: false } } });
    }
  });

  it('recovers when Redis is back, empty: runs kept before are gone, new ones are kept and shared again', async () => {
    await restartRedis(team, redis(), 1);
    for (const index of [0, 1]) expect(await team.set.readyz(index)).toMatchObject({ status: 200, body: { store: { connected: true } } });
    expect((await readError(alice, `run://${keptBefore}`)).message).toContain('Run not found');
    const fresh = runIdOf(await callTeamAgent(team, alice, 'After the restart.'));
    // Two reads in a row: one per replica.
    for (let i = 0; i < 2; i++) expect(textOf(await alice.request('resources/read', { uri: `run://${fresh}` }))).toContain('After the restart.');
    expect(listedRuns(await alice.request('resources/read', { uri: 'agents://runs' }))).toEqual([fresh]);
    expect(new Set(team.set.proxy.served().slice(-3).map((s) => s.target))).toEqual(new Set([0, 1]));
  });
});

describeWithRedis(
  'Redis restarts with persistence (appendonly) under two replicas',
  (redis) => {
    let team: Team;
    let alice: RawClient;
    beforeAll(async () => {
      team = await startTeam(redis().url, ['--stateless']);
      alice = rawHttpClient(team.set.proxy.url, bearer('alice'));
    });
    afterAll(async () => {
      await team?.close();
    });

    it('keeps the runs: after Redis is killed and started again, both replicas read and resume them', async () => {
      const kept = runIdOf(await callTeamAgent(team, alice, 'Written to disk.'));
      await restartRedis(team, redis(), 1);
      for (let i = 0; i < 2; i++) expect(textOf(await alice.request('resources/read', { uri: `run://${kept}` }))).toContain('Written to disk.');
      expect(new Set(team.set.proxy.served().slice(-2).map((s) => s.target))).toEqual(new Set([0, 1]));
      expect(textOf(await callTeamAgent(team, alice, 'Resumed after restart.', { resume: kept }))).toBe('Resumed after restart.');
    });
  },
  { persist: true },
);
