/**
 * The pool against real upstream servers from npm, started over real stdio (and one over real
 * HTTP on 127.0.0.1): sharing, the child environment, progress, crash and restart, failed starts.
 */
import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { brokenServer, everythingServer, EVERYTHING_SERVER_FACTORY } from '../../../test/helpers/upstream-servers.js';
import { createLogger } from '../../log.js';
import type { NamedServer } from './agent-servers.js';
import { createUpstreamPool, type UpstreamPool } from './pool.js';
import type { ToolProgress } from '../tool.js';

const signal = new AbortController().signal;
const clientInfo = { name: 'agents-mcp-test', version: '0.0.0' };

function captureLogger(): { logger: ReturnType<typeof createLogger>; lines: () => Array<Record<string, unknown>> } {
  const raw: string[] = [];
  const logger = createLogger({ level: 'info', destination: { write: (line: string) => void raw.push(line) } });
  return { logger, lines: () => raw.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

function textOf(result: { content?: unknown }): string {
  return JSON.stringify(result.content);
}

let pool: UpstreamPool | undefined;
afterEach(async () => {
  await pool?.close();
  pool = undefined;
});

describe('upstream pool over stdio (server-everything)', () => {
  it('connects once and shares the connection between concurrent users', async () => {
    const { logger, lines } = captureLogger();
    pool = createUpstreamPool({ logger, clientInfo });
    const server: NamedServer = { name: 'everything', config: everythingServer(), origin: 'config' };
    const [a, b] = await Promise.all([pool.acquire([server], signal), pool.acquire([server], signal)]);
    const ca = a[0] && 'connection' in a[0] ? a[0].connection : undefined;
    const cb = b[0] && 'connection' in b[0] ? b[0].connection : undefined;
    expect(ca).toBeDefined();
    expect(cb).toBe(ca);
    expect(ca?.hasResources).toBe(true);
    const tools = await ca!.listTools();
    expect(tools.map((t) => t.name)).toEqual(expect.arrayContaining(['echo', 'get-env', 'trigger-long-running-operation']));
    expect(tools.find((t) => t.name === 'echo')?.inputSchema.properties).toHaveProperty('message');
    expect(tools.find((t) => t.name === 'simulate-research-query')?.taskRequired).toBe(true);
    const echoed = await ca!.callTool('echo', { message: 'hi' }, { signal });
    expect(echoed.content).toEqual([{ type: 'text', text: 'Echo: hi' }]);
    expect(lines().filter((l) => l['msg'] === 'upstream MCP server connected')).toHaveLength(1);
  });

  it('gives the child only the allow-listed environment plus its configured env', async () => {
    const saved = process.env['ANTHROPIC_API_KEY'];
    process.env['ANTHROPIC_API_KEY'] = 'sk-ant-must-not-leak';
    try {
      pool = createUpstreamPool({ logger: createLogger({ level: 'silent' }), clientInfo });
      const conn = await pool.connection({ name: 'env', config: everythingServer({ CONFIGURED_VAR: 'yes' }), origin: 'config' }, signal);
      const result = await conn.callTool('get-env', {}, { signal });
      const env = JSON.parse(result.content.map((c) => (c.type === 'text' ? c.text : '')).join('')) as Record<string, string>;
      expect(env['CONFIGURED_VAR']).toBe('yes');
      expect(env['PATH']).toBe(process.env['PATH']);
      expect(Object.keys(env).filter((k) => k.startsWith('ANTHROPIC_'))).toEqual([]);
      expect(JSON.stringify(env)).not.toContain('sk-ant-must-not-leak');
    } finally {
      if (saved === undefined) delete process.env['ANTHROPIC_API_KEY'];
      else process.env['ANTHROPIC_API_KEY'] = saved;
    }
  });

  it('relays progress, and after the server is killed mid-call fails that call and restarts on next use', async () => {
    const { logger, lines } = captureLogger();
    pool = createUpstreamPool({ logger, clientInfo });
    const server: NamedServer = { name: 'everything', config: everythingServer(), origin: 'config' };
    const first = await pool.connection(server, signal);
    const progress: ToolProgress[] = [];
    // 600 steps of 0.1 s: the first progress comes soon, the end never does.
    const call = first.callTool('trigger-long-running-operation', { duration: 60, steps: 600 }, {
      signal,
      onProgress: (p) => {
        progress.push(p);
        if (progress.length === 1) process.kill(first.pid!, 'SIGKILL');
      },
    });
    await expect(call).rejects.toThrow(/Connection closed/);
    expect(progress[0]).toEqual({ progress: 1, total: 600 });
    expect(first.closed).toBe(true);
    expect(lines().some((l) => l['msg'] === 'upstream MCP server exited; it will be restarted when next needed')).toBe(true);

    const second = await pool.connection(server, signal);
    expect(second).not.toBe(first);
    expect(second.pid).not.toBe(first.pid);
    expect((await second.callTool('echo', { message: 'again' }, { signal })).content).toEqual([{ type: 'text', text: 'Echo: again' }]);
  });

  it('reports a server that fails to start once, with its stderr, and retries only after the pause', async () => {
    const { logger, lines } = captureLogger();
    let clock = 0;
    pool = createUpstreamPool({ logger, clientInfo, retryAfterMs: 1000, now: () => clock });
    const broken: NamedServer = { name: 'broken', config: brokenServer('fatal: MISSING_TOKEN is not set'), origin: 'config' };
    const [first] = await pool.acquire([broken], signal);
    expect(first && 'problem' in first && first.problem).toMatch(/could not start upstream MCP server "broken".*\n--- stderr \(last lines\) ---\nfatal: MISSING_TOKEN is not set/s);
    const [again] = await pool.acquire([broken], signal);
    expect(again && 'problem' in again && again.problem).toContain('MISSING_TOKEN');
    clock = 5000;
    const [retried] = await pool.acquire([broken], signal);
    expect(retried && 'problem' in retried && retried.problem).toContain('MISSING_TOKEN');
    const reports = lines().filter((l) => l['msg'] === 'upstream MCP server unavailable; runs go on without its tools');
    // Three attempts (one within the pause, so not started), one report: the reason did not change.
    expect(reports).toHaveLength(1);
    expect(String(reports[0]?.['reason'])).toContain('MISSING_TOKEN');
  });

  it('gives up on a server that does not answer within the connect timeout', async () => {
    pool = createUpstreamPool({ logger: createLogger({ level: 'silent' }), clientInfo, connectTimeoutMs: 300 });
    // Reads its stdin, never answers, exits when stdin closes.
    const silent = { type: 'stdio' as const, command: process.execPath, args: ['-e', "process.stdin.resume(); process.stdin.on('end', () => process.exit(0))"], env: {} };
    const [entry] = await pool.acquire([{ name: 'silent', config: silent, origin: 'config' }], signal);
    expect(entry && 'problem' in entry && entry.problem).toBe('could not start upstream MCP server "silent": it did not start and list its tools within 0.3 s');
  });

  it('says a command that does not exist could not be started, without throwing', async () => {
    pool = createUpstreamPool({ logger: createLogger({ level: 'silent' }), clientInfo });
    const [entry] = await pool.acquire([{ name: 'nope', config: { type: 'stdio', command: 'agents-mcp-no-such-command', args: [], env: {} }, origin: 'config' }], signal);
    expect(entry && 'problem' in entry && entry.problem).toMatch(/could not start upstream MCP server "nope": .*ENOENT/);
  });
});

describe('upstream pool over Streamable HTTP (server-everything hosted on 127.0.0.1)', () => {
  let http: HttpServer;
  let url: string;
  let mcp: { server: McpServer; cleanup: () => void };
  const seenHeaders: string[] = [];

  beforeAll(async () => {
    const factory = (await import(pathToFileURL(EVERYTHING_SERVER_FACTORY).href)) as { createServer: () => { server: McpServer; cleanup: () => void } };
    mcp = factory.createServer();
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => 'session-1' });
    await mcp.server.connect(transport);
    http = createServer((req, res) => {
      seenHeaders.push(String(req.headers['x-api-key'] ?? ''));
      void transport.handleRequest(req, res);
    });
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/mcp`;
  });
  afterAll(async () => {
    mcp?.cleanup();
    await mcp?.server.close();
    http?.closeAllConnections();
    await new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve()));
  });

  it('connects with the configured headers, lists and calls tools', async () => {
    pool = createUpstreamPool({ logger: createLogger({ level: 'silent' }), clientInfo });
    const conn = await pool.connection({ name: 'remote', config: { type: 'http', url, headers: { 'X-Api-Key': 'k-remote' } }, origin: 'config' }, signal);
    expect((await conn.listTools()).map((t) => t.name)).toContain('echo');
    expect(textOf(await conn.callTool('echo', { message: 'over http' }, { signal }))).toContain('Echo: over http');
    expect(seenHeaders.length).toBeGreaterThan(0);
    expect(seenHeaders.every((h) => h === 'k-remote')).toBe(true);
  });
});
