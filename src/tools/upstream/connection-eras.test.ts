/**
 * Both protocol eras through the pool: a 2026-only server (SDK v2, refusing `initialize`) over
 * real stdio and over real Streamable HTTP on 127.0.0.1, and 2025-only servers over stdio
 * (server-everything on SDK 1.x, and one that exits on any request before `initialize`, as rmcp
 * servers do).
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { toNodeHandler } from '@modelcontextprotocol/node';
import { createMcpHandler, type McpServer } from '@modelcontextprotocol/server';
import { Client as LegacyClient } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport as LegacyStdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { everythingServer, MODERN_SERVER_FACTORY, modernServer } from '../../../test/helpers/upstream-servers.js';
import { createLogger } from '../../log.js';
import { chainMeta } from '../delegation/chain.js';
import type { ToolProgress } from '../tool.js';
import type { NamedServer } from './agent-servers.js';
import { UpstreamCallError } from './call-errors.js';
import type { UpstreamConnection } from './connection.js';
import { createUpstreamPool, type UpstreamPool } from './pool.js';

const signal = new AbortController().signal;
const clientInfo = { name: 'agents-mcp-test', version: '0.0.0' };
const modern: NamedServer = { name: 'modern', config: modernServer(), origin: 'config' };
/** A 2025 server (SDK 1.x) that exits when the first request is not `initialize`. */
const exitsBeforeInitialize: NamedServer = {
  name: 'strict',
  config: { type: 'stdio', command: process.execPath, args: [path.join(import.meta.dirname, '../../../test/reliability/fixtures/hostile-upstream.mjs'), '--exit-before-initialize'], env: {} },
  origin: 'config',
};

function textOf(result: { content: Array<{ type: string; text?: string }> }): string {
  return result.content.map((c) => c.text ?? '').join('');
}

let pool: UpstreamPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

/**
 * Call `count` and collect its progress. `count` answers only after `finish`, which is called once
 * every step was seen, so no progress notification can come after the result.
 */
async function countWithProgress(conn: UpstreamConnection, steps: number): Promise<{ text: string; progress: ToolProgress[] }> {
  const progress: ToolProgress[] = [];
  let allSeen: () => void = () => undefined;
  const seen = new Promise<void>((resolve) => (allSeen = resolve));
  const counting = conn.callTool('count', { steps }, {
    signal,
    onProgress: (p) => {
      progress.push(p);
      if (progress.length === steps) allSeen();
    },
  });
  await seen;
  await conn.callTool('finish', {}, { signal });
  return { text: textOf(await counting), progress };
}

function newPool(): UpstreamPool {
  pool = createUpstreamPool({ logger: createLogger({ level: 'silent' }), clientInfo });
  return pool;
}

describe('a 2026-only upstream server', () => {
  it('refuses a 2025 client (SDK 1.x), so it can only be reached on 2026-07-28', async () => {
    const config = modernServer();
    const client = new LegacyClient(clientInfo);
    const transport = new LegacyStdioClientTransport({ command: config.command, args: config.args, stderr: 'ignore' });
    await expect(client.connect(transport)).rejects.toThrow(/Unsupported protocol version: 2025-11-25/);
    await client.close();
  });

  it('is used on 2026-07-28: tools listed and called, progress relayed, the chain sent in _meta, resources read', async () => {
    const conn = await newPool().connection(modern, signal);
    expect(conn.era).toBe('modern');
    expect((await conn.listTools()).map((t) => t.name).sort()).toEqual(['add-tool', 'chain', 'confirm', 'count', 'echo', 'finish', 'resume']);
    expect(textOf(await conn.callTool('echo', { message: 'hi' }, { signal }))).toBe('Echo (modern era): hi');

    expect(await countWithProgress(conn, 3)).toEqual({ text: 'counted 3', progress: [1, 2, 3].map((step) => ({ progress: step, total: 3, message: `step ${step}` })) });

    const chain = [{ agent: 'planner', run_id: 'run-1' }];
    expect(JSON.parse(textOf(await conn.callTool('chain', {}, { signal, meta: chainMeta(chain) })))).toEqual(chain);

    expect(conn.hasResources).toBe(true);
    expect((await conn.listResources(signal)).map((r) => r.uri)).toEqual(['modern://note']);
    expect((await conn.readResource('modern://note', signal)).contents).toEqual([{ uri: 'modern://note', mimeType: 'text/plain', text: 'a 2026 resource' }]);
  });

  it('a tool that asks a person for input fails with a clear error (we declare no elicitation, so the server refuses), and the connection still serves', async () => {
    const conn = await newPool().connection(modern, signal);
    const call = conn.callTool('confirm', {}, { signal });
    await expect(call).rejects.toBeInstanceOf(UpstreamCallError);
    await expect(call).rejects.toMatchObject({ kind: 'input_required' });
    await expect(call).rejects.toThrow(/asked for input .* agents-mcp does not relay such requests to upstream servers/);
    expect(textOf(await conn.callTool('echo', { message: 'still' }, { signal }))).toBe('Echo (modern era): still');
  });

  it('an input_required round that carries only requestState is retried with it, and the call completes', async () => {
    const conn = await newPool().connection(modern, signal);
    expect(textOf(await conn.callTool('resume', {}, { signal }))).toBe('resumed round-2');
  });

  it('a change of its tool list arrives on the subscriptions/listen stream, and the next listing has the new tool', async () => {
    const conn = await newPool().connection(modern, signal);
    expect((await conn.listTools()).map((t) => t.name)).not.toContain('late');
    expect(textOf(await conn.callTool('add-tool', {}, { signal }))).toBe('added late');
    expect((await conn.listTools()).map((t) => t.name)).toContain('late');
    expect(textOf(await conn.callTool('late', {}, { signal }))).toBe('late tool');
  });
});

describe('a 2026-only upstream server over Streamable HTTP (createMcpHandler on 127.0.0.1)', () => {
  let http: HttpServer;
  let url: string;

  beforeAll(async () => {
    const { createModernServer } = (await import(pathToFileURL(MODERN_SERVER_FACTORY).href)) as { createModernServer: (era: string) => McpServer };
    const handler = toNodeHandler(createMcpHandler(({ era }) => createModernServer(era), { legacy: 'reject' }));
    http = createServer((req, res) => void handler(req, res));
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  });
  afterAll(async () => {
    http?.closeAllConnections();
    await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  });

  it('is used on 2026-07-28: tools listed and called, progress relayed on the request stream', async () => {
    const conn = await newPool().connection({ name: 'remote', config: { type: 'http', url, headers: {} }, origin: 'config' }, signal);
    expect(conn.era).toBe('modern');
    expect(textOf(await conn.callTool('echo', { message: 'over http' }, { signal }))).toBe('Echo (modern era): over http');
    expect(await countWithProgress(conn, 2)).toEqual({ text: 'counted 2', progress: [1, 2].map((step) => ({ progress: step, total: 2, message: `step ${step}` })) });
  });
});

describe('2025-only upstream servers', () => {
  it('server-everything (SDK 1.x) answers the probe with "method not found" and is used on the 2025 era', async () => {
    const conn = await newPool().connection({ name: 'everything', config: everythingServer(), origin: 'config' }, signal);
    expect(conn.era).toBe('legacy');
    expect(textOf(await conn.callTool('echo', { message: 'old' }, { signal }))).toBe('Echo: old');
  });

  it('a server that exits on any request before initialize is started again straight to initialize', async () => {
    const conn = await newPool().connection(exitsBeforeInitialize, signal);
    expect(conn.era).toBe('legacy');
    expect(textOf(await conn.callTool('echo', { message: 'second start' }, { signal }))).toBe('Echo: second start');
  });
});
