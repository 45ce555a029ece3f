/**
 * A team's deployment for e2e tests: the fake Messages API, a tokens file with alice and bob,
 * and built replicas on one Redis behind the round-robin proxy (replicas.ts), plus the few
 * reads every team test makes of a 2026 client's answers.
 */
import { mkdtemp, realpath, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { reply, text } from '../fake-anthropic/steps.js';
import type { RawClient } from './raw-2026-client.js';
import { startReplicaSet, writeTokensFile, type ReplicaSet } from './replicas.js';
import { REPO_ROOT } from './stdio-server.js';

export const TEAM_AGENT = 'llm-app-engineer';
export const TEAM_TOKENS = { alice: 'alice-token-0123456789abcdef', bob: 'bob-token-0123456789abcdef' } as const;
export const UNKNOWN_RUN = '00000000-0000-4000-8000-000000000000';
const API_KEY = 'k-team-replicas-0123456789';

export interface Team {
  readonly fake: FakeAnthropic;
  readonly set: ReplicaSet;
  /** The server's workspace. */
  readonly workspace: string;
  close(): Promise<void>;
}

/** `Authorization` for a principal of {@link TEAM_TOKENS}. */
export function bearer(principal: keyof typeof TEAM_TOKENS): Record<string, string> {
  return { Authorization: `Bearer ${TEAM_TOKENS[principal]}` };
}

/** Start the fake API and `count` replicas (bundled agents, --no-watch, alice and bob) with `args` added. */
export async function startTeam(storeUrl: string, args: string[] = [], count = 2): Promise<Team> {
  const fake = await startFakeAnthropic({ apiKey: API_KEY });
  const workspace = await realpath(await mkdtemp(path.join(os.tmpdir(), 'team-replicas-')));
  try {
    const tokens = await writeTokensFile(workspace, TEAM_TOKENS);
    const set = await startReplicaSet({
      count,
      storeUrl,
      args: ['--agents', path.join(REPO_ROOT, 'agents'), '--no-watch', '--workspace', workspace, '--auth-tokens', tokens, ...args],
      env: { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url },
    });
    return {
      fake,
      set,
      workspace,
      async close() {
        // The fake API first: its kept-alive connections would hold each replica's exit open.
        await fake.close();
        await set.close();
        await rm(workspace, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await fake.close();
    await rm(workspace, { recursive: true, force: true });
    throw error;
  }
}

/** The text of a tool result or resource contents. */
export function textOf(result: { content?: unknown; contents?: unknown }): string {
  const parts = (result.content ?? result.contents ?? []) as Array<{ text?: string }>;
  return parts.map((c) => c.text ?? '').join('');
}

/** A 2026 call of the team agent that the fake model answers with `answer`; resolves with the call's result. */
export async function callTeamAgent(team: Team, client: RawClient, answer: string, extra: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
  team.fake.script(reply([text(answer)]));
  return client.request('tools/call', { name: TEAM_AGENT, arguments: { prompt: `say ${answer}`, ...extra } });
}

/** The run id in a call's structured result. */
export function runIdOf(result: Record<string, unknown>): string {
  return String((result['structuredContent'] as { run_id: string }).run_id);
}

/** The run ids `agents://runs` lists in a read's result. */
export function listedRuns(read: Record<string, unknown>): string[] {
  return (JSON.parse(textOf(read)) as { runs: Array<{ run_id: string }> }).runs.map((r) => r.run_id);
}

/** The replica that answered the latest request through the proxy. */
export function lastServed(team: Team): number {
  const last = team.set.proxy.served().at(-1);
  if (last === undefined) throw new Error('the proxy has served nothing yet');
  return last.target;
}

/** Make sure the next request goes to a replica other than `replica` (a cheap tools/list moves the turn on). */
export async function steerAwayFrom(team: Team, client: RawClient, replica: number): Promise<void> {
  for (let i = 0; i < team.set.replicas.length && team.set.proxy.nextTarget() === replica; i++) await client.request('tools/list');
  if (team.set.proxy.nextTarget() === replica) throw new Error(`the proxy keeps sending to replica ${replica}`);
}
