/**
 * One agents-mcp for a team on two replicas (issue 17): two built servers share a real
 * redis-server and sit behind a plain round-robin balancer with no stickiness. Calls answer from
 * both; a run made through one replica is listed, read and resumed through the other by its
 * owner; another principal gets "not found" for it on either, word for word as for an unknown
 * id. 2025 clients work across replicas with --stateless and fail at once without it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { reply, text } from '../fake-anthropic/steps.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { rawHttpClient, RawRpcError, type RawClient } from '../helpers/raw-2026-client.js';
import { bearer, callTeamAgent, lastServed, listedRuns, runIdOf, startTeam, steerAwayFrom, TEAM_AGENT, textOf, UNKNOWN_RUN, type Team } from '../helpers/team-replicas.js';

/** The error a read gets, with `id` written as <id> so two refusals can be compared. */
async function refusal(client: RawClient, uri: string, id: string): Promise<{ code: number; message: string }> {
  const error = await client.request('resources/read', { uri }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(RawRpcError);
  return { code: (error as RawRpcError).code, message: (error as RawRpcError).message.replaceAll(id, '<id>') };
}

describeWithRedis('a team on two replicas behind a round-robin balancer (runs in Redis)', (redis) => {
  let team: Team;
  let alice: RawClient;
  let bob: RawClient;
  beforeAll(async () => {
    team = await startTeam(redis().url, ['--stateless']);
    alice = rawHttpClient(team.set.proxy.url, bearer('alice'));
    bob = rawHttpClient(team.set.proxy.url, bearer('bob'));
  });
  afterAll(async () => {
    await team?.close();
  });

  describe('2026 clients', () => {
    let aliceRun: string;
    let madeOn: number;

    it('answers calls from both replicas', async () => {
      const first = await callTeamAgent(team, alice, 'First.');
      const second = await callTeamAgent(team, alice, 'Second.');
      expect([textOf(first), textOf(second)]).toEqual(['First.', 'Second.']);
      const calls = team.set.proxy.served().filter((s) => s.rpcMethod === 'tools/call');
      expect(new Set(calls.map((c) => c.target))).toEqual(new Set([0, 1]));
      aliceRun = runIdOf(second);
      madeOn = calls.at(-1)!.target;
    });

    it('lets the owner list, read and resume a run through the replica that did not run it', async () => {
      await steerAwayFrom(team, alice, madeOn);
      expect(listedRuns(await alice.request('resources/read', { uri: 'agents://runs' }))[0]).toBe(aliceRun);
      expect(lastServed(team)).not.toBe(madeOn);

      await steerAwayFrom(team, alice, madeOn);
      const transcript = textOf(await alice.request('resources/read', { uri: `run://${aliceRun}` }));
      expect(transcript).toContain('Second.');
      expect(lastServed(team)).not.toBe(madeOn);

      await steerAwayFrom(team, alice, madeOn);
      const record = JSON.parse(textOf(await alice.request('resources/read', { uri: `run://${aliceRun}/json` }))) as { principal: string; status: string };
      expect(record).toMatchObject({ principal: 'alice', status: 'ended' });

      await steerAwayFrom(team, alice, madeOn);
      const resumed = await callTeamAgent(team, alice, 'Resumed.', { resume: aliceRun });
      expect(lastServed(team)).not.toBe(madeOn);
      expect(textOf(resumed)).toBe('Resumed.');
      // The model got the earlier conversation, read from the store by the other replica.
      expect(JSON.stringify(team.fake.requests.at(-1)?.body?.messages)).toContain('Second.');
      const resumedRecord = JSON.parse(textOf(await alice.request('resources/read', { uri: `run://${runIdOf(resumed)}/json` }))) as { resumed_from?: string };
      expect(resumedRecord.resumed_from).toBe(aliceRun);
    });

    it('gives another principal "not found" for the run on either replica, exactly as an unknown id, and lists only their own', async () => {
      const bobRun = runIdOf(await callTeamAgent(team, bob, 'For Bob.'));
      for (let replica = 0; replica < 2; replica++) {
        for (const suffix of ['', '/json']) {
          const foreign = await refusal(bob, `run://${aliceRun}${suffix}`, aliceRun);
          const unknown = await refusal(bob, `run://${UNKNOWN_RUN}${suffix}`, UNKNOWN_RUN);
          expect(foreign).toEqual(unknown);
          expect(foreign.message).toContain('Run not found');
        }
        expect(listedRuns(await bob.request('resources/read', { uri: 'agents://runs' }))).toEqual([bobRun]);
        const requestsBefore = team.fake.requests.length;
        const resume = async (id: string): Promise<string> => {
          const result = await bob.request('tools/call', { name: TEAM_AGENT, arguments: { prompt: 'more', resume: id } });
          expect(result['isError']).toBe(true);
          return textOf(result).replaceAll(id, '<id>');
        };
        expect(await resume(aliceRun)).toBe(await resume(UNKNOWN_RUN));
        expect(team.fake.requests.length).toBe(requestsBefore);
      }
      // Each kind of read above went to both replicas in turn.
      const reads = team.set.proxy.served().filter((s) => s.rpcMethod === 'resources/read');
      expect(new Set(reads.slice(-10).map((r) => r.target))).toEqual(new Set([0, 1]));
    });
  });

  describe('a 2025 client (SDK 1.x) with --stateless', () => {
    it('calls, reads and resumes across both replicas', async () => {
      const client = new Client({ name: 'team-2025', version: '0.0.0' });
      await client.connect(new StreamableHTTPClientTransport(new URL(team.set.proxy.url), { requestInit: { headers: bearer('alice') } }));
      try {
        const before = team.set.proxy.served().length;
        team.fake.script(reply([text('From 2025.')]));
        const called = (await client.callTool({ name: TEAM_AGENT, arguments: { prompt: 'hello' } })) as CallToolResult;
        const runId = String((called.structuredContent as { run_id: string }).run_id);
        const read = await client.readResource({ uri: `run://${runId}` });
        expect(textOf(read)).toContain('From 2025.');
        team.fake.script(reply([text('Again from 2025.')]));
        const resumed = (await client.callTool({ name: TEAM_AGENT, arguments: { prompt: 'more', resume: runId } })) as CallToolResult;
        expect(textOf(resumed)).toBe('Again from 2025.');
        expect(new Set(team.set.proxy.served().slice(before).map((s) => s.target))).toEqual(new Set([0, 1]));
      } finally {
        await client.close();
      }
    });
  });
});

describeWithRedis('2025 sessions behind a balancer without stickiness', (redis) => {
  let team: Team;
  beforeAll(async () => {
    team = await startTeam(redis().url);
  });
  afterAll(async () => {
    await team?.close();
  });

  it('fail at once with "Session not found" when the second request reaches the other replica', async () => {
    const client = new Client({ name: 'team-2025-sessions', version: '0.0.0' });
    const error = await client.connect(new StreamableHTTPClientTransport(new URL(team.set.proxy.url), { requestInit: { headers: bearer('alice') } })).then(
      () => undefined,
      (e: unknown) => e,
    );
    await client.close();
    expect(String(error)).toContain('Session not found');
    expect(team.set.proxy.served().map((s) => [s.target, s.rpcMethod, s.status])).toEqual([
      [0, 'initialize', 200],
      [1, 'notifications/initialized', 404],
    ]);
  });
});
