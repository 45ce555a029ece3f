/**
 * One server for a team (issue 17, people and sessions): the built server over real HTTP with
 * `--auth-tokens`, real MCP clients of both eras, the fake Messages API as the model. Each
 * principal sees only its own runs and tasks, and "not found" for another's is word for word the
 * answer for an id that never existed; the tokens file is re-read without a restart; clients that
 * vanish without a DELETE never lock out a new one.
 */
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathToFileURL } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ListRootsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { reply, text } from '../fake-anthropic/steps.js';
import { MCP_POST_HEADERS, initializeBody, rawRequest, spawnHttpServer, type HttpServerProcess } from '../helpers/http-server.js';
import { rawHttpClient, RawRpcError, TASKS_EXTENSION, type RawClient } from '../helpers/raw-2026-client.js';
import { REPO_ROOT } from '../helpers/stdio-server.js';

const BUNDLED = path.join(REPO_ROOT, 'agents');
const API_KEY = 'k-team-principals-0123456789';
const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef';
const CAROL = 'carol-token-0123456789abcdef';
const AGENT = 'llm-app-engineer';
const UNKNOWN_RUN = '00000000-0000-4000-8000-000000000000';

let fake: FakeAnthropic;
let tmp: string;
let tokensFile: string;
let server: HttpServerProcess;
const clients: Client[] = [];

const bearer = (token: string): Record<string, string> => ({ Authorization: `Bearer ${token}` });
const textOf = (result: { content?: unknown }): string =>
  ((result.content ?? []) as Array<{ type: string; text?: string }>).map((c) => (c.type === 'text' ? (c.text ?? '') : '')).join('');

async function connect(token: string): Promise<Client> {
  const client = await server.connect({ headers: bearer(token) });
  clients.push(client);
  return client;
}

/** A call answered by the fake model; resolves with its run id. */
async function callAgent(client: Client, answer: string): Promise<string> {
  fake.script(reply([text(answer)]));
  const result = (await client.callTool({ name: AGENT, arguments: { prompt: 'hello' } })) as CallToolResult;
  expect(textOf(result)).toBe(answer);
  return String((result.structuredContent as { run_id: string }).run_id);
}

/** The message of a rejected promise, with `id` written as <id> so two refusals can be compared. */
async function refusal(promise: Promise<unknown>, id: string): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message.replaceAll(id, '<id>');
}

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: API_KEY });
  tmp = await realpath(await mkdtemp(path.join(os.tmpdir(), 'team-principals-')));
  tokensFile = path.join(tmp, 'tokens.json');
  await writeFile(tokensFile, JSON.stringify({ alice: ALICE, bob: BOB }));
  server = await spawnHttpServer(['--agents', BUNDLED, '--no-watch', '--workspace', tmp, '--auth-tokens', tokensFile], { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url });
});
afterAll(async () => {
  await Promise.allSettled(clients.map((c) => c.close()));
  await server?.stop();
  await fake?.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe('two principals from --auth-tokens (2025 clients)', () => {
  it('lets each call, and keeps each one\'s runs out of the other\'s reach, exactly as an unknown id', async () => {
    const alice = await connect(ALICE);
    const bob = await connect(BOB);
    const aliceRun = await callAgent(alice, 'For Alice.');
    const bobRun = await callAgent(bob, 'For Bob.');

    const listed = async (client: Client): Promise<string[]> => {
      const { contents } = await client.readResource({ uri: 'agents://runs' });
      return (JSON.parse(String((contents[0] as { text: string }).text)) as { runs: Array<{ run_id: string }> }).runs.map((r) => r.run_id);
    };
    expect(await listed(alice)).toEqual([aliceRun]);
    expect(await listed(bob)).toEqual([bobRun]);

    // Alice reads her own transcript; Bob gets for it exactly what an unknown id gets.
    const own = await alice.readResource({ uri: `run://${aliceRun}` });
    expect(String((own.contents[0] as { text: string }).text)).toContain('For Alice.');
    for (const suffix of ['', '/json']) {
      const foreign = await refusal(bob.readResource({ uri: `run://${aliceRun}${suffix}` }), aliceRun);
      const unknown = await refusal(bob.readResource({ uri: `run://${UNKNOWN_RUN}${suffix}` }), UNKNOWN_RUN);
      expect(foreign).toBe(unknown);
      expect(foreign).toContain('Run not found');
    }

    // Resume: Bob cannot continue Alice's run, and hears what he would for a made-up id.
    const resume = async (runId: string): Promise<string> => {
      const result = (await bob.callTool({ name: AGENT, arguments: { prompt: 'more', resume: runId } })) as CallToolResult;
      expect(result.isError).toBe(true);
      return textOf(result).replaceAll(runId, '<id>');
    };
    expect(await resume(aliceRun)).toBe(await resume(UNKNOWN_RUN));
    expect(fake.requests.length).toBe(2);
  });

  it('answers a request on another principal\'s session as an unknown session', async () => {
    const opened = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, ...bearer(ALICE) }, body: initializeBody() });
    expect(opened.status).toBe(200);
    const session = String(opened.headers['mcp-session-id']);
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const asBob = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, ...bearer(BOB), 'Mcp-Session-Id': session }, body: list });
    const unknown = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, ...bearer(BOB), 'Mcp-Session-Id': 'no-such-session' }, body: list });
    expect(asBob.status).toBe(404);
    expect(asBob.body).toBe(unknown.body);
    const asAlice = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, ...bearer(ALICE), 'Mcp-Session-Id': session }, body: list });
    expect(asAlice.status).toBe(200);
  });

  it('logs principals by name and never a token', () => {
    expect(server.stderr()).toContain('"principal":"alice"');
    for (const token of [ALICE, BOB]) expect(server.stderr()).not.toContain(token);
  });
});

describe('two principals from --auth-tokens (2026 clients)', () => {
  const capabilities = { extensions: { [TASKS_EXTENSION]: {} } };
  let alice: RawClient;
  let bob: RawClient;
  beforeAll(() => {
    alice = rawHttpClient(server.url, bearer(ALICE));
    bob = rawHttpClient(server.url, bearer(BOB));
  });

  it('keeps a task to the principal that started it: another gets the unknown-task error for get, update and cancel', async () => {
    fake.script(reply([text('Task for Alice.')]));
    const created = await alice.request('tools/call', { name: AGENT, arguments: { prompt: 'a task' } }, capabilities);
    expect(created).toMatchObject({ resultType: 'task' });
    const taskId = String(created['taskId']);
    const unknownId = 'no-such-task';

    const refused = async (client: RawClient, method: string, id: string, extra: Record<string, unknown> = {}): Promise<{ code: number; message: string }> => {
      const error = await client.request(method, { taskId: id, ...extra }, capabilities).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(RawRpcError);
      return { code: (error as RawRpcError).code, message: (error as RawRpcError).message.replaceAll(id, '<id>') };
    };
    for (const [method, extra] of [['tasks/get', {}], ['tasks/update', { inputResponses: {} }], ['tasks/cancel', {}]] as const) {
      expect(await refused(bob, method, taskId, extra)).toEqual(await refused(bob, method, unknownId, extra));
    }

    let task: Record<string, unknown>;
    do task = await alice.request('tasks/get', { taskId }, capabilities);
    while (task['status'] === 'working');
    expect(task['status']).toBe('completed');
    expect(textOf(task['result'] as { content?: unknown })).toBe('Task for Alice.');

    // The 2026 read of runs is bound the same way: Bob's list does not hold Alice's run.
    const runs = await bob.request('resources/read', { uri: 'agents://runs' });
    expect(JSON.stringify(runs)).not.toContain('Task for Alice.');
  });
});

describe('a remote 2025 client whose roots lie outside the workspace', () => {
  it('gets its answer, run in the server\'s workspace, with a warning that its roots were ignored', async () => {
    const elsewhere = await realpath(await mkdtemp(path.join(os.tmpdir(), 'team-elsewhere-')));
    const client = new Client({ name: 'teammate', version: '0.0.0' }, { capabilities: { roots: {} } });
    client.setRequestHandler(ListRootsRequestSchema, () => ({ roots: [{ uri: pathToFileURL(elsewhere).href, name: 'elsewhere' }] }));
    await client.connect(new StreamableHTTPClientTransport(new URL(server.url), { requestInit: { headers: bearer(ALICE) } }));
    clients.push(client);
    try {
      fake.script(reply([text('Answered anyway.')]));
      const result = (await client.callTool({ name: AGENT, arguments: { prompt: 'hello' } })) as CallToolResult;
      expect(result.isError).toBeFalsy();
      expect(textOf(result)).toContain('Answered anyway.');
      const warnings = (result.structuredContent as { warnings: string[] }).warnings.join('\n');
      expect(warnings).toContain(`The client's roots (${elsewhere}) lie outside the workspaces`);
      expect(warnings).toContain(`the run worked in ${tmp}`);
      expect(JSON.stringify(fake.requests.at(-1)?.body?.system)).toContain(`Working directory: ${tmp}`);
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });
});

describe('the tokens file', () => {
  it('is re-read on change: a principal added to it can call without a restart, one removed cannot', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: JSON.parse(initializeBody()).params });
    const before = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, ...bearer(CAROL) }, body: list });
    expect(before.status).toBe(401);
    const reread = server.waitForLog('auth tokens re-read', (line) => JSON.stringify(line['principals']) === JSON.stringify(['alice', 'carol']));
    await writeFile(tokensFile, JSON.stringify({ alice: ALICE, carol: CAROL }));
    await reread;
    expect((await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, ...bearer(CAROL) }, body: list })).status).toBe(200);
    expect((await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, ...bearer(BOB) }, body: list })).status).toBe(401);
  });
});

describe('2025 clients that vanish', () => {
  it('150 clients that open a session and never close it do not lock out the 151st', async () => {
    for (let i = 0; i < 150; i++) {
      const opened = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, ...bearer(ALICE) }, body: initializeBody(i) });
      expect(opened.status).toBe(200);
    }
    const client = await connect(ALICE);
    expect((await client.listTools()).tools.map((t) => t.name)).toContain(AGENT);
    const ready = JSON.parse((await rawRequest(`${server.origin}/readyz`, { method: 'GET' })).body) as Record<string, unknown>;
    expect(ready).toMatchObject({ status: 'ready', sessions: 100, store: { engine: 'memory', target: 'memory', connected: true }, runs: 0 });
  });
});
