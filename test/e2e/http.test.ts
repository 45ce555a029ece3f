/**
 * The built server over real Streamable HTTP: the real SDK client (and raw node:http for
 * what a client would never send), the real Anthropic SDK inside the server talking to the
 * fake Messages API on 127.0.0.1.
 */
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { hang, reply, text } from '../fake-anthropic/steps.js';
import { MCP_POST_HEADERS, initializeBody, rawRequest, spawnHttpServer, type HttpServerProcess } from '../helpers/http-server.js';
import { REPO_ROOT } from '../helpers/stdio-server.js';

const BUNDLED = path.join(REPO_ROOT, 'agents');
const API_KEY = 'test-key-0123456789';
const EXPECTED_TOOLS = ['backend-engineer', 'backend-python-expert', 'fastapi-backend-expert', 'llm-app-engineer', 'python-backend-architect'];

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: API_KEY });
});
afterAll(async () => {
  await fake?.close();
});

const modelEnv = (): Record<string, string> => ({ ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url });
const textOf = (result: CallToolResult): string => result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
const jsonRpcError = (body: string): { code: number; message: string } => (JSON.parse(body) as { error: { code: number; message: string } }).error;

describe('HTTP server with sessions', () => {
  let server: HttpServerProcess;
  beforeAll(async () => {
    server = await spawnHttpServer(['--agents', BUNDLED, '--no-watch'], modelEnv());
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('logs its bound address on 127.0.0.1 with the OS-chosen port', () => {
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
  });

  it('lists the agents, reads a resource and runs a call against the model', async () => {
    const client = await server.connect();
    expect((await client.listTools()).tools.map((t) => t.name).sort()).toEqual(EXPECTED_TOOLS);
    const { contents } = await client.readResource({ uri: 'agent://llm-app-engineer' });
    expect(contents[0]?.mimeType).toBe('text/markdown');
    expect(JSON.stringify(contents[0])).toContain('LLM application engineer');

    fake.script(reply([text('Answered over HTTP.')]));
    const result = (await client.callTool({ name: 'llm-app-engineer', arguments: { prompt: 'hello' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('Answered over HTTP.');
    expect(result.structuredContent).toMatchObject({ agent: 'llm-app-engineer', stop_reason: 'end_turn' });
    expect(fake.requests.at(-1)?.body?.messages[0]).toMatchObject({ role: 'user' });
    fake.assertComplete();
  });

  it('gives each client its own session and ends one on DELETE', async () => {
    const first = await rawRequest(server.url, { headers: MCP_POST_HEADERS, body: initializeBody() });
    const second = await rawRequest(server.url, { headers: MCP_POST_HEADERS, body: initializeBody() });
    const a = String(first.headers['mcp-session-id']);
    const b = String(second.headers['mcp-session-id']);
    expect(first.status).toBe(200);
    expect(a).toMatch(/^[0-9a-f-]{36}$/);
    expect(b).not.toBe(a);

    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const listed = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, 'Mcp-Session-Id': a }, body: list });
    expect(listed.status).toBe(200);
    expect(listed.body).toContain('llm-app-engineer');

    expect((await rawRequest(server.url, { method: 'DELETE', headers: { 'Mcp-Session-Id': a } })).status).toBe(200);
    const gone = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, 'Mcp-Session-Id': a }, body: list });
    expect(gone.status).toBe(404);
    expect(jsonRpcError(gone.body).message).toMatch(/Session not found/);
    // The other session is untouched.
    expect((await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, 'Mcp-Session-Id': b }, body: list })).status).toBe(200);
  });

  it('answers /healthz and /readyz without a session', async () => {
    const live = await rawRequest(`${server.origin}/healthz`, { method: 'GET' });
    expect(live.status).toBe(200);
    expect(JSON.parse(live.body)).toEqual({ status: 'ok' });
    const ready = await rawRequest(`${server.origin}/readyz`, { method: 'GET' });
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', agents: EXPECTED_TOOLS.length });
  });

  it('refuses a foreign Host or Origin (DNS rebinding) and accepts localhost ones', async () => {
    const evilHost = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, Host: 'evil.example.com' }, body: initializeBody() });
    expect(evilHost.status).toBe(403);
    expect(jsonRpcError(evilHost.body).message).toContain('Invalid Host header: evil.example.com');

    const evilOrigin = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, Origin: 'http://evil.example.com' }, body: initializeBody() });
    expect(evilOrigin.status).toBe(403);
    expect(jsonRpcError(evilOrigin.body).message).toContain('Invalid Origin header');

    const port = new URL(server.url).port;
    const local = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, Host: `localhost:${port}`, Origin: 'http://localhost:6274' }, body: initializeBody() });
    expect(local.status).toBe(200);
  });

  it('answers an unknown session with 404 and a request without one with 400', async () => {
    const list = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' });
    const unknown = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, 'Mcp-Session-Id': 'no-such-session' }, body: list });
    expect(unknown.status).toBe(404);
    expect(jsonRpcError(unknown.body).code).toBe(-32001);
    const missing = await rawRequest(server.url, { headers: MCP_POST_HEADERS, body: list });
    expect(missing.status).toBe(400);
    expect(jsonRpcError(missing.body).message).toMatch(/not initialized/);
  });

  it('cancels a running call when the client cancels it', async () => {
    const client = await server.connect();
    fake.script(hang());
    const before = fake.requests.length;
    const controller = new AbortController();
    const call = client.callTool({ name: 'llm-app-engineer', arguments: { prompt: 'take forever' } }, undefined, { signal: controller.signal });
    await fake.waitForRequests(before + 1);
    controller.abort('user pressed stop');
    await expect(call).rejects.toThrow(/user pressed stop|abort/i);
    const ended = await server.waitForLog('run ended', (l) => l['stop_reason'] === 'cancelled');
    expect(ended['agent']).toBe('llm-app-engineer');
  });
});

describe('list_changed over HTTP', () => {
  let dir: string;
  let server: HttpServerProcess;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-http-hot-'));
    await cp(path.join(BUNDLED, 'llm-app-engineer.md'), path.join(dir, 'llm-app-engineer.md'));
    server = await spawnHttpServer(['--agents', dir]);
  });
  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('reaches every open session when an agent file is added', async () => {
    const one = await server.connect({ name: 'one', listening: true });
    const two = await server.connect({ name: 'two', listening: true });
    const heard = (client: typeof one): Promise<void> =>
      new Promise((resolve) => client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
    const both = Promise.all([heard(one), heard(two)]);
    await writeFile(path.join(dir, 'reviewer.md'), '---\nname: reviewer\ndescription: Reviews code.\n---\nYou review code.\n');
    await both;
    expect((await one.listTools()).tools.map((t) => t.name).sort()).toEqual(['llm-app-engineer', 'reviewer']);
    expect((await two.listTools()).tools.map((t) => t.name).sort()).toEqual(['llm-app-engineer', 'reviewer']);
  });
});

describe('stateless HTTP server', () => {
  let server: HttpServerProcess;
  beforeAll(async () => {
    server = await spawnHttpServer(['--agents', BUNDLED, '--no-watch', '--stateless'], modelEnv());
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('serves the SDK client without a session id and runs a call', async () => {
    const client = await server.connect();
    expect((await client.listTools()).tools).toHaveLength(EXPECTED_TOOLS.length);
    fake.script(reply([text('Stateless answer.')]));
    const result = (await client.callTool({ name: 'backend-engineer', arguments: { prompt: 'hi' } })) as CallToolResult;
    expect(textOf(result)).toBe('Stateless answer.');
    fake.assertComplete();
  });

  it('answers any request on its own, with no session header, and refuses GET', async () => {
    const list = await rawRequest(server.url, { headers: MCP_POST_HEADERS, body: JSON.stringify({ jsonrpc: '2.0', id: 7, method: 'tools/list' }) });
    expect(list.status).toBe(200);
    expect(list.headers['mcp-session-id']).toBeUndefined();
    expect(list.body).toContain('backend-engineer');
    const get = await rawRequest(server.url, { method: 'GET', headers: { Accept: 'text/event-stream' } });
    expect(get.status).toBe(405);
    expect(get.headers['allow']).toBe('POST');
  });
});

describe('HTTP server with a bearer token', () => {
  const TOKEN = 'tok-abcdefghijklmnopqrstuvwxyz';
  let server: HttpServerProcess;
  beforeAll(async () => {
    server = await spawnHttpServer(['--agents', BUNDLED, '--no-watch'], { AGENTS_MCP_AUTH_TOKEN: TOKEN });
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('answers a request without the token with 401 and a JSON-RPC error body', async () => {
    for (const headers of [MCP_POST_HEADERS, { ...MCP_POST_HEADERS, Authorization: 'Bearer wrong-token-0000000000' }, { ...MCP_POST_HEADERS, Authorization: TOKEN }]) {
      const res = await rawRequest(server.url, { headers, body: initializeBody() });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(JSON.parse(res.body)).toMatchObject({ jsonrpc: '2.0', id: null, error: { code: -32000, message: expect.stringContaining('Unauthorized') } });
    }
    await expect(server.connect()).rejects.toThrow(/401|Unauthorized/);
  });

  it('checks the token on GET (the SSE stream) and DELETE (ending a session) too: 401 without it', async () => {
    const client = await server.connect({ headers: { Authorization: `Bearer ${TOKEN}` } });
    const sessionId = (client as unknown as { transport?: { sessionId?: string } }).transport?.sessionId;
    expect(sessionId).toBeTruthy();
    for (const method of ['GET', 'DELETE']) {
      const res = await rawRequest(server.url, { method, headers: { Accept: 'text/event-stream', 'mcp-session-id': sessionId!, 'mcp-protocol-version': '2025-06-18' } });
      expect(res.status, `${method}: ${res.body}`).toBe(401);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
    // The session survived the refused DELETE.
    expect((await client.listTools()).tools).toHaveLength(EXPECTED_TOOLS.length);
  });

  it('serves a client that sends the token, and keeps the token out of its logs', async () => {
    const client = await server.connect({ headers: { Authorization: `Bearer ${TOKEN}` } });
    expect((await client.listTools()).tools).toHaveLength(EXPECTED_TOOLS.length);
    expect(server.stderr()).toContain('missing or wrong bearer token');
    expect(server.stderr()).not.toContain(TOKEN);
  });
});

describe('HTTP limits', () => {
  let server: HttpServerProcess;
  beforeAll(async () => {
    server = await spawnHttpServer(['--agents', BUNDLED, '--no-watch', '--max-sessions', '2', '--session-idle-timeout', '1', '--max-body-bytes', '2048']);
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('refuses a body over the limit with 413', async () => {
    const huge = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { pad: 'x'.repeat(4096) } });
    const res = await rawRequest(server.url, { headers: MCP_POST_HEADERS, body: huge });
    expect(res.status).toBe(413);
    expect(jsonRpcError(res.body).message).toMatch(/too large|exceeds/i);
  });

  it('closes an idle session and caps the number of open sessions', async () => {
    const first = await rawRequest(server.url, { headers: MCP_POST_HEADERS, body: initializeBody() });
    const id = String(first.headers['mcp-session-id']);
    await server.waitForLog('session closed after idling', (l) => l['session'] === id);
    const list = JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    expect((await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, 'Mcp-Session-Id': id }, body: list })).status).toBe(404);

    // Two sessions fill the cap (each SDK client holds its GET stream open, so neither idles).
    await server.connect({ listening: true });
    await server.connect({ listening: true });
    const third = await rawRequest(server.url, { headers: MCP_POST_HEADERS, body: initializeBody() });
    expect(third.status).toBe(503);
    expect(jsonRpcError(third.body).message).toContain('Too many open sessions (2)');
  });
});

describe('binding beyond loopback', () => {
  it('refuses to start without a token', async () => {
    const server = spawnHttpServer(['--agents', BUNDLED, '--no-watch', '--host', '0.0.0.0']);
    await expect(server).rejects.toThrow(/code 2[\s\S]*--auth-token or AGENTS_MCP_AUTH_TOKEN/);
  });
});

describe('graceful shutdown', () => {
  it('on SIGTERM cancels a running call with a reason the client reads, then exits 0', async () => {
    const server = await spawnHttpServer(['--agents', BUNDLED, '--no-watch'], modelEnv());
    const client = await server.connect({ listening: true });
    fake.script(hang());
    const before = fake.requests.length;
    const call = client.callTool({ name: 'llm-app-engineer', arguments: { prompt: 'a long task' } }) as Promise<CallToolResult>;
    await fake.waitForRequests(before + 1);
    server.child.kill('SIGTERM');
    const result = await call;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('the server is shutting down (SIGTERM)');
    expect(await server.exited).toBe(0);
    expect(server.stderr()).toContain('"msg":"stopped"');
  });

  it('on SIGINT closes open sessions and exits 0', async () => {
    const server = await spawnHttpServer(['--agents', BUNDLED, '--no-watch']);
    await server.connect({ listening: true });
    await server.connect({ listening: true });
    server.child.kill('SIGINT');
    expect(await server.exited).toBe(0);
    const stopping = await server.waitForLog('shutting down');
    expect(stopping).toMatchObject({ why: 'SIGINT', sessions: 2 });
  });
});
