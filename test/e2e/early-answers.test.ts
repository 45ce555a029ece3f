/**
 * A server answers `initialize` and `server/discover` before its catalog is loaded, and the lists
 * wait for the catalog instead of coming back empty or refused: stdio and HTTP, both eras. The
 * catalog is large and unparsed (4,000 files, parse cache off), so its load spans far more event-loop
 * turns than an answer to `initialize`; the order is read from the server's own output.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_POST_HEADERS, initializeBody, rawRequest, spawnHttpServer, type HttpServerProcess } from '../helpers/http-server.js';
import { MODERN_VERSION, rawHttpClient } from '../helpers/raw-2026-client.js';
import { CLI, REPO_ROOT } from '../helpers/stdio-server.js';

// Enough that the load spans ~1 s of a quiet machine's CPU, far beyond three requests' round trips.
const AGENT_COUNT = 4_000;
const NO_CACHE = { AGENTS_MCP_PARSE_CACHE: 'off' };
const CATALOG_LOADED = '"msg":"catalog loaded"';

let root: string;
let agents: string;
const children: ChildProcess[] = [];
const httpServers: HttpServerProcess[] = [];

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'e2e-early-answers-'));
  agents = path.join(root, 'agents');
  await import('node:fs/promises').then((fs) => fs.mkdir(agents));
  for (let i = 0; i < AGENT_COUNT; i++) {
    const name = `agent-${String(i).padStart(4, '0')}`;
    await writeFile(path.join(agents, `${name}.md`), `---\nname: ${name}\ndescription: Agent number ${i}. Use it for task ${i}.\ntools: Read, Grep\n---\nYou are agent ${i}.\n`);
  }
});
afterAll(async () => {
  for (const child of children) if (child.exitCode === null) child.kill();
  await Promise.allSettled(httpServers.map((s) => s.stop()));
  await rm(root, { recursive: true, force: true });
});

interface RpcAnswer {
  id?: number;
  result?: Record<string, unknown>;
  error?: { code: number; message: string };
}

/** A stdio server: its JSON-RPC answers by id, and its logs as they come. */
function spawnStdio(): { send(message: object): void; answer(id: number): Promise<RpcAnswer>; logs(): string } {
  const child = spawn(process.execPath, [CLI, '--agents', agents, '--no-watch'], { cwd: REPO_ROOT, env: { ...getDefaultEnvironment(), ...NO_CACHE }, stdio: ['pipe', 'pipe', 'pipe'] });
  children.push(child);
  let logs = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => (logs += chunk));
  const answers = new Map<number, RpcAnswer>();
  const waiting = new Map<number, (answer: RpcAnswer) => void>();
  readLines(child.stdout!, (line) => {
    const message = JSON.parse(line) as RpcAnswer;
    if (typeof message.id !== 'number') return;
    answers.set(message.id, message);
    waiting.get(message.id)?.(message);
  });
  return {
    send: (message) => child.stdin!.write(`${JSON.stringify(message)}\n`),
    answer: (id) => (answers.has(id) ? Promise.resolve(answers.get(id)!) : new Promise((resolve) => waiting.set(id, resolve))),
    logs: () => logs,
  };
}

function readLines(stream: Readable, onLine: (line: string) => void): void {
  let buffer = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      onLine(buffer.slice(0, newline));
      buffer = buffer.slice(newline + 1);
    }
  });
}

/** The `_meta` every 2026 request carries. */
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN_VERSION,
  'io.modelcontextprotocol/clientInfo': { name: 'early-test', version: '0.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};

/** The JSON-RPC message in an HTTP answer, plain JSON or the first `data:` line of an event stream. */
function rpcOf(body: string): RpcAnswer {
  const data = body.split('\n').find((line) => line.startsWith('data:'));
  return JSON.parse(data ? data.slice(5) : body) as RpcAnswer;
}

describe('answers before the catalog is loaded', () => {
  it('stdio, 2025: initialize is answered before the catalog loads; tools/list waits for it and lists every agent', async () => {
    const server = spawnStdio();
    // All three lines go out at once, before the server has even started to read.
    server.send(JSON.parse(initializeBody(1)) as object);
    server.send({ jsonrpc: '2.0', method: 'notifications/initialized' });
    server.send({ jsonrpc: '2.0', id: 2, method: 'tools/list' });
    const initialized = await server.answer(1);
    expect(server.logs()).not.toContain(CATALOG_LOADED);
    expect(initialized.result?.['serverInfo']).toMatchObject({ name: 'agents-mcp' });
    const listed = await server.answer(2);
    expect(listed.result?.['tools']).toHaveLength(AGENT_COUNT);
  });

  it('stdio, 2026: server/discover is answered before the catalog loads; tools/list waits for it', async () => {
    const server = spawnStdio();
    server.send({ jsonrpc: '2.0', id: 1, method: 'server/discover', params: { _meta: ENVELOPE } });
    server.send({ jsonrpc: '2.0', id: 2, method: 'tools/list', params: { _meta: ENVELOPE } });
    const discovered = await server.answer(1);
    expect(server.logs()).not.toContain(CATALOG_LOADED);
    expect(discovered.result?.['supportedVersions']).toContain(MODERN_VERSION);
    const listed = await server.answer(2);
    expect(listed.result?.['tools']).toHaveLength(AGENT_COUNT);
  });

  it('HTTP, both eras: /readyz says starting, initialize and server/discover are answered, the lists wait; then /readyz says ready', async () => {
    const server = await spawnHttpServer(['--agents', agents, '--no-watch'], NO_CACHE, { untilReady: false });
    httpServers.push(server);
    // All three at once, the moment the port is open, so the window they need is one round trip.
    const [readyz, init, discovered] = await Promise.all([
      rawRequest(`${server.origin}/readyz`, { method: 'GET' }),
      rawRequest(server.url, { headers: MCP_POST_HEADERS, body: initializeBody(1) }),
      rawHttpClient(server.url).request('server/discover'),
    ]);
    expect(server.stderr()).not.toContain(CATALOG_LOADED);
    expect(readyz.status).toBe(503);
    expect(JSON.parse(readyz.body)).toMatchObject({ status: 'starting', agents: 0 });
    expect(init.status).toBe(200);
    expect(rpcOf(init.body).result?.['serverInfo']).toMatchObject({ name: 'agents-mcp' });
    expect(discovered['supportedVersions']).toContain(MODERN_VERSION);

    // Sent before the catalog is loaded (nothing has waited for it yet), answered after.
    const session = { ...MCP_POST_HEADERS, 'mcp-session-id': String(init.headers['mcp-session-id']), 'mcp-protocol-version': '2025-06-18' };
    const legacyList = rawRequest(server.url, { headers: session, body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }) });
    const modernList = rawHttpClient(server.url).request('tools/list');
    expect(rpcOf((await legacyList).body).result?.['tools']).toHaveLength(AGENT_COUNT);
    expect((await modernList)['tools']).toHaveLength(AGENT_COUNT);

    await server.waitForLog('ready');
    const ready = await rawRequest(`${server.origin}/readyz`, { method: 'GET' });
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body)).toMatchObject({ status: 'ready', agents: AGENT_COUNT });
  });
});
