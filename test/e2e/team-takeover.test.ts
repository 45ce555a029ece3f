/**
 * 2026 runs on two replicas behind a round-robin balancer (issue 17): an approval whose retry
 * lands on the other replica applies; a task created on one is answered and polled through the
 * other; when the replica running a task is SIGKILLed mid-run the survivor carries it on from its
 * last checkpoint once the lease lapses (the tool call that was waiting is reported to the model
 * as interrupted, not run); on SIGTERM the replica hands its run over and the other carries it on
 * at once; another principal cannot poll, answer or cancel the task.
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hang, reply, text, toolUse } from '../fake-anthropic/steps.js';
import { describeWithRedis } from '../helpers/redis-server.js';
import { rawHttpClient, RawRpcError, TASKS_EXTENSION, type RawClient, type RawNotification } from '../helpers/raw-2026-client.js';
import { bearer, lastServed, startTeam, steerAwayFrom, TEAM_AGENT, textOf, type Team } from '../helpers/team-replicas.js';

const ASKS = { elicitation: { form: {} } };
const TASKS = { ...ASKS, extensions: { [TASKS_EXTENSION]: {} } };
const APPROVE = { action: 'accept', content: { decision: 'approve' } };

/** tasks/get until the task leaves `working`/`input_required` as `until` says, at the interval it asks for. */
async function pollTask(client: RawClient, taskId: string, until: (status: string) => boolean): Promise<Record<string, unknown>> {
  for (;;) {
    const task = await client.request('tasks/get', { taskId }, TASKS);
    if (until(String(task['status']))) return task;
    await new Promise((resolve) => setTimeout(resolve, Number(task['pollIntervalMs'] ?? 100)));
  }
}

/** The first open question's key of an input_required answer (a round or a task). */
function questionKey(answer: Record<string, unknown>): string {
  const [key] = Object.keys(answer['inputRequests'] as object);
  if (key === undefined) throw new Error(`no question in ${JSON.stringify(answer)}`);
  return key;
}

/** notes.txt with "alpha" in the team's workspace, and the script: read it, edit it (asks), then `then`. */
async function editScript(team: Team, then: Parameters<Team['fake']['script']>): Promise<string> {
  const notes = path.join(team.workspace, 'notes.txt');
  await writeFile(notes, 'alpha\n');
  team.fake.script(reply([toolUse('Read', { file_path: notes })]), reply([toolUse('Edit', { file_path: notes, old_string: 'alpha', new_string: 'ALPHA' })]), ...then);
  return notes;
}

/** The tool results the model got in its latest request. */
function lastToolResults(team: Team): string {
  return JSON.stringify(team.fake.requests.at(-1)?.body?.messages.at(-1));
}

describeWithRedis('2026 runs that cross replicas (state in Redis)', (redis) => {
  let team: Team;
  let alice: RawClient;
  let bob: RawClient;
  beforeAll(async () => {
    // A long lease: here nothing may wait for one to lapse (SIGTERM hands over at once).
    team = await startTeam(redis().url, ['--run-lease', '120']);
    alice = rawHttpClient(team.set.proxy.url, bearer('alice'));
    bob = rawHttpClient(team.set.proxy.url, bearer('bob'));
  });
  afterAll(async () => {
    await team?.close();
  });

  it('applies an approval whose retry reaches the other replica', async () => {
    const notes = await editScript(team, [reply([text('Edited.')])]);
    const first = await alice.request('tools/call', { name: TEAM_AGENT, arguments: { prompt: 'Fix the notes.' } }, ASKS);
    expect(first['resultType']).toBe('input_required');
    const askedOn = lastServed(team);
    await steerAwayFrom(team, alice, askedOn);
    // The run goes on on the replica that asked; its progress reaches this round on the other one.
    const progress: string[] = [];
    const onNotification = (n: RawNotification): void => void (n.method === 'notifications/progress' && progress.push(String(n.params?.['message'])));
    const done = await alice.request('tools/call', { name: TEAM_AGENT, arguments: { prompt: 'Fix the notes.' }, requestState: first['requestState'], inputResponses: { [questionKey(first)]: APPROVE }, _meta: { progressToken: 'retry' } }, ASKS, { onNotification });
    expect(lastServed(team)).not.toBe(askedOn);
    expect(textOf(done)).toBe('Edited.');
    expect(progress.some((m) => m.includes('turn 3'))).toBe(true);
    expect(await readFile(notes, 'utf8')).toBe('ALPHA\n');
    team.fake.assertComplete();
  });

  it('answers and completes a task created on one replica through the other; another principal gets "not found"', async () => {
    const notes = await editScript(team, [reply([text('Edited as a task.')])]);
    const created = await alice.request('tools/call', { name: TEAM_AGENT, arguments: { prompt: 'Fix the notes.' } }, TASKS);
    const taskId = String(created['taskId']);
    const createdOn = lastServed(team);
    await steerAwayFrom(team, alice, createdOn);
    const waiting = await pollTask(alice, taskId, (s) => s !== 'working');
    expect(waiting['status'], JSON.stringify(waiting)).toBe('input_required');
    for (const method of ['tasks/get', 'tasks/update', 'tasks/cancel']) {
      const refused = await bob.request(method, { taskId, inputResponses: { [questionKey(waiting)]: APPROVE } }, TASKS).then(() => undefined, (e: unknown) => e);
      expect(refused).toBeInstanceOf(RawRpcError);
      expect((refused as RawRpcError).message).toContain(`Unknown task: ${taskId}`);
    }
    await steerAwayFrom(team, alice, createdOn);
    await alice.request('tasks/update', { taskId, inputResponses: { [questionKey(waiting)]: APPROVE } }, TASKS);
    expect(lastServed(team)).not.toBe(createdOn);
    const done = await pollTask(alice, taskId, (s) => s !== 'working' && s !== 'input_required');
    expect(done['status']).toBe('completed');
    expect(textOf(done['result'] as { content?: unknown })).toBe('Edited as a task.');
    expect(await readFile(notes, 'utf8')).toBe('ALPHA\n');
    const polls = team.set.proxy.served().filter((s) => s.rpcMethod === 'tasks/get');
    expect(new Set(polls.map((p) => p.target))).toEqual(new Set([0, 1]));
  });

  it('tells a subscriber on one replica of each change of a task that runs on the other (notifications/tasks)', async () => {
    await editScript(team, [reply([text('Edited, heard.')])]);
    const created = await alice.request('tools/call', { name: TEAM_AGENT, arguments: { prompt: 'Fix the notes.' } }, TASKS);
    const taskId = String(created['taskId']);
    const runningOn = lastServed(team);
    await steerAwayFrom(team, alice, runningOn);
    const heard: Array<Record<string, unknown>> = [];
    const waiting = new Map<string, (task: Record<string, unknown>) => void>();
    const status = (wanted: string): Promise<Record<string, unknown>> =>
      new Promise((resolve) => {
        const seen = heard.find((t) => t['status'] === wanted);
        if (seen) resolve(seen);
        else waiting.set(wanted, resolve);
      });
    const onNotification = (n: RawNotification): void => {
      if (n.method !== 'notifications/tasks' || !n.params) return;
      heard.push(n.params);
      waiting.get(String(n.params['status']))?.(n.params);
    };
    const stop = new AbortController();
    expect(team.set.proxy.nextTarget()).not.toBe(runningOn);
    const listening = alice.request('subscriptions/listen', { notifications: { taskIds: [taskId] } }, TASKS, { onNotification, signal: stop.signal }).catch(() => undefined);
    try {
      const asking = await status('input_required');
      await alice.request('tasks/update', { taskId, inputResponses: { [questionKey(asking)]: APPROVE } }, TASKS);
      const done = await status('completed');
      expect(textOf(done['result'] as { content?: unknown })).toBe('Edited, heard.');
    } finally {
      stop.abort('heard enough');
      await listening;
    }
  });

  it('hands a run over on SIGTERM: the other replica carries it on at once from its last turn', async () => {
    const notes = path.join(team.workspace, 'notes.txt');
    await writeFile(notes, 'alpha\n');
    let midRun: () => void = () => undefined;
    const reachedTurnTwo = new Promise<void>((resolve) => (midRun = resolve));
    team.fake.script(
      reply([toolUse('Read', { file_path: notes })]),
      // Turn two hangs on the replica that is about to stop…
      () => (midRun(), hang()),
      // …and the survivor asks again from the checkpoint after turn one.
      reply([text('Finished on the survivor.')]),
    );
    const created = await alice.request('tools/call', { name: TEAM_AGENT, arguments: { prompt: 'Read the notes.' } }, TASKS);
    const taskId = String(created['taskId']);
    const runningOn = lastServed(team);
    await reachedTurnTwo;
    expect(await team.set.kill(runningOn, 'SIGTERM')).toBe(0);
    const done = await pollTask(alice, taskId, (s) => s !== 'working' && s !== 'input_required');
    expect(done['status']).toBe('completed');
    expect(textOf(done['result'] as { content?: unknown })).toBe('Finished on the survivor.');
    // The survivor sent the conversation so far: turn one's Read result, not a fresh start.
    expect(lastToolResults(team)).toContain('alpha');
    expect(team.fake.requests.at(-1)?.body?.messages).toHaveLength(3);
    team.fake.assertComplete();
  });
});

describeWithRedis('a replica that dies mid-run (SIGKILL)', (redis) => {
  let team: Team;
  let alice: RawClient;
  beforeAll(async () => {
    team = await startTeam(redis().url, ['--run-lease', '2']);
    alice = rawHttpClient(team.set.proxy.url, bearer('alice'));
  });
  afterAll(async () => {
    await team?.close();
  });

  it('its task still completes, on the survivor; the tool call that was waiting is reported interrupted, not run', async () => {
    const notes = await editScript(team, [reply([text('Checked the notes; the edit did not happen.')])]);
    const created = await alice.request('tools/call', { name: TEAM_AGENT, arguments: { prompt: 'Fix the notes.' } }, TASKS);
    const taskId = String(created['taskId']);
    const runningOn = lastServed(team);
    // The Edit waits for approval: a tool call in flight.
    expect((await pollTask(alice, taskId, (s) => s !== 'working'))['status']).toBe('input_required');
    await team.set.kill(runningOn, 'SIGKILL');
    const done = await pollTask(alice, taskId, (s) => s !== 'working' && s !== 'input_required');
    expect(done).toMatchObject({ status: 'completed' });
    expect(textOf(done['result'] as { content?: unknown })).toBe('Checked the notes; the edit did not happen.');
    expect(lastToolResults(team)).toContain('Interrupted: the server process running this tool call stopped');
    expect(await readFile(notes, 'utf8')).toBe('alpha\n');
    expect(team.set.isAlive(1 - runningOn)).toBe(true);
    team.fake.assertComplete();
  });
});
