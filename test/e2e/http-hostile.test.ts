/**
 * 1,000 malformed or hostile requests against the built HTTP server: every one gets a proper
 * error (the right HTTP status and a JSON-RPC error body), the server stays up, keeps serving
 * its real session, leaks no sessions, and its memory stays flat.
 */
import { execFileSync } from 'node:child_process';
import { Agent } from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MCP_POST_HEADERS, initializeBody, rawRequest, spawnHttpServer, type HttpServerProcess, type RawResponse } from '../helpers/http-server.js';
import { REPO_ROOT } from '../helpers/stdio-server.js';

const REQUESTS = 1000;
const WARM_UP_REQUESTS = 500;
const CONCURRENCY = 16;
const MAX_BODY_BYTES = 64 * 1024;
/**
 * The server's V8 old space is capped so that RSS tracks what is kept rather than how lazily
 * V8 collects (uncapped, a healthy server's heap drifts up for thousands of requests before it
 * levels off). Measured here: about 5 MiB of growth over the 1,000 requests after warm-up.
 */
const OLD_SPACE_MIB = 64;
/** Generous: several times the growth measured, far below what a per-request leak adds. */
const RSS_GROWTH_LIMIT_BYTES = 32 * 1024 * 1024;

interface Hostile {
  name: string;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Acceptable HTTP statuses. */
  status: number[];
  /** JSON-RPC error codes acceptable in the body (HTTP error JSON, or an SSE-framed response). */
  codes: number[];
}

let server: HttpServerProcess;
let sessionId: string;
const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

beforeAll(async () => {
  server = await spawnHttpServer(['--agents', path.join(REPO_ROOT, 'agents'), '--no-watch', '--max-body-bytes', String(MAX_BODY_BYTES)], {
    NODE_OPTIONS: `--max-old-space-size=${OLD_SPACE_MIB}`,
  });
  const init = await rawRequest(server.url, { headers: MCP_POST_HEADERS, body: initializeBody() });
  sessionId = String(init.headers['mcp-session-id']);
  await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, 'Mcp-Session-Id': sessionId }, body: JSON.stringify({ jsonrpc: '2.0', method: 'notifications/initialized' }) });
});

afterAll(async () => {
  agent.destroy();
  await server?.stop();
});

/** The server process's resident set size, from the OS. */
function rssBytes(pid: number): number {
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) * 1024;
}

function hostileRequests(session: string): Hostile[] {
  const inSession = { ...MCP_POST_HEADERS, 'Mcp-Session-Id': session };
  const rpc = (body: unknown): string => JSON.stringify(body);
  return [
    { name: 'truncated JSON', headers: inSession, body: '{"jsonrpc":"2.0","id":1,"method":', status: [400], codes: [-32700] },
    { name: 'not JSON at all', headers: inSession, body: 'hello there', status: [400], codes: [-32700] },
    { name: 'invalid UTF-8', headers: inSession, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), status: [400], codes: [-32700] },
    { name: 'deeply nested JSON', headers: inSession, body: '['.repeat(30_000) + ']'.repeat(30_000), status: [400], codes: [-32700] },
    { name: 'JSON that is not JSON-RPC', headers: inSession, body: rpc({ hello: 'world' }), status: [400], codes: [-32700] },
    { name: 'JSON-RPC with a numeric method', headers: inSession, body: rpc({ jsonrpc: '2.0', id: 1, method: 5 }), status: [400], codes: [-32700] },
    { name: 'oversized batch', headers: inSession, body: rpc(Array.from({ length: 101 }, (_, i) => ({ jsonrpc: '2.0', id: i, method: 'ping' }))), status: [400], codes: [-32600] },
    { name: 'empty body', headers: inSession, body: '', status: [400], codes: [-32700] },
    { name: 'body over the limit', headers: inSession, body: rpc({ jsonrpc: '2.0', id: 1, method: 'ping', params: { pad: 'x'.repeat(MAX_BODY_BYTES) } }), status: [413], codes: [-32000] },
    { name: 'text/plain', headers: { ...inSession, 'Content-Type': 'text/plain' }, body: rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }), status: [415], codes: [-32000] },
    { name: 'form content type', headers: { ...inSession, 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'a=1', status: [415], codes: [-32000] },
    { name: 'no Accept', headers: { 'Content-Type': 'application/json', 'Mcp-Session-Id': session }, body: rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }), status: [406], codes: [-32000] },
    { name: 'unknown session', headers: { ...MCP_POST_HEADERS, 'Mcp-Session-Id': 'f00dfeed-0000-0000-0000-000000000000' }, body: rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }), status: [404], codes: [-32001] },
    { name: 'request without a session', headers: MCP_POST_HEADERS, body: rpc({ jsonrpc: '2.0', id: 1, method: 'tools/list' }), status: [400], codes: [-32000] },
    { name: 'second initialize on a session', headers: inSession, body: initializeBody(9), status: [400], codes: [-32600] },
    { name: 'unsupported protocol version', headers: { ...inSession, 'Mcp-Protocol-Version': '1999-01-01' }, body: rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }), status: [400], codes: [-32000] },
    { name: 'unknown JSON-RPC method', headers: inSession, body: rpc({ jsonrpc: '2.0', id: 1, method: 'no/such/method' }), status: [200], codes: [-32601] },
    { name: 'unknown tool', headers: inSession, body: rpc({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'nope', arguments: {} } }), status: [200], codes: [-32602] },
    // The SDK answers a request that fails its params schema with -32603, not -32602.
    { name: 'tools/call without params', headers: inSession, body: rpc({ jsonrpc: '2.0', id: 1, method: 'tools/call' }), status: [200], codes: [-32602, -32603] },
    { name: 'prototype pollution attempt', headers: inSession, body: '{"jsonrpc":"2.0","id":1,"method":"tools/call","params":{"name":"__proto__","arguments":{"__proto__":{"x":1}}}}', status: [200], codes: [-32602] },
    { name: 'PUT', method: 'PUT', headers: inSession, body: '{}', status: [405], codes: [-32000] },
    { name: 'PATCH', method: 'PATCH', headers: inSession, body: '{}', status: [405], codes: [-32000] },
    { name: 'OPTIONS preflight', method: 'OPTIONS', headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' }, status: [405], codes: [-32000] },
    { name: 'GET without a session', method: 'GET', headers: { Accept: 'text/event-stream' }, status: [400], codes: [-32000] },
    { name: 'GET not accepting SSE', method: 'GET', headers: { Accept: 'application/json', 'Mcp-Session-Id': session }, status: [406], codes: [-32000] },
    { name: 'DELETE of an unknown session', method: 'DELETE', headers: { 'Mcp-Session-Id': 'not-a-session' }, status: [404], codes: [-32001] },
    { name: 'foreign Host', headers: { ...inSession, Host: 'evil.example.com' }, body: rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }), status: [403], codes: [-32000] },
    { name: 'foreign Origin', headers: { ...inSession, Origin: 'http://evil.example.com' }, body: rpc({ jsonrpc: '2.0', id: 1, method: 'ping' }), status: [403], codes: [-32000] },
    { name: 'Host with userinfo', headers: { ...inSession, Host: 'localhost@evil.example.com' }, body: '{}', status: [403], codes: [-32000] },
    { name: 'wrong path', path: '/admin', headers: MCP_POST_HEADERS, body: initializeBody(), status: [404], codes: [-32000] },
    { name: 'path traversal', path: '/mcp/../../etc/passwd', headers: MCP_POST_HEADERS, body: initializeBody(), status: [404], codes: [-32000] },
  ];
}

/** The JSON-RPC error codes in a JSON or SSE response body. */
function errorCodes(res: RawResponse): number[] {
  const payloads = String(res.headers['content-type'] ?? '').includes('text/event-stream')
    ? res.body.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6))
    : [res.body];
  return payloads.flatMap((p) => {
    try {
      const message = JSON.parse(p) as { jsonrpc?: string; error?: { code?: unknown } };
      return message.jsonrpc === '2.0' && typeof message.error?.code === 'number' ? [message.error.code] : [];
    } catch {
      return [];
    }
  });
}

async function send(h: Hostile): Promise<string | undefined> {
  const res = await rawRequest(server.url, { method: h.method ?? 'POST', headers: h.headers ?? {}, agent, ...(h.body !== undefined ? { body: h.body } : {}), ...(h.path ? { path: h.path } : {}) });
  if (!h.status.includes(res.status)) return `${h.name}: status ${res.status}, wanted ${h.status.join('|')}: ${res.body.slice(0, 200)}`;
  const codes = errorCodes(res);
  if (!codes.some((c) => h.codes.includes(c))) return `${h.name}: error codes [${codes.join(', ')}], wanted ${h.codes.join('|')}: ${res.body.slice(0, 200)}`;
  return undefined;
}

describe('the HTTP server under 1,000 hostile requests', () => {
  it('answers each with a proper error, keeps serving its session, leaks nothing, and holds its memory', async () => {
    const kinds = hostileRequests(sessionId);
    const pid = server.child.pid!;
    const blast = async (count: number): Promise<string[]> => {
      const failures: string[] = [];
      let next = 0;
      const worker = async (): Promise<void> => {
        while (next < count) {
          const failure = await send(kinds[next++ % kinds.length]!);
          if (failure) failures.push(failure);
        }
      };
      await Promise.all(Array.from({ length: CONCURRENCY }, worker));
      return failures;
    };
    // One of each kind first, for a clear message if one kind is wrong.
    for (const h of kinds) expect(await send(h)).toBeUndefined();
    // Warm up (JIT, lazily loaded modules, heap sizing) before taking the baseline.
    expect(await blast(WARM_UP_REQUESTS)).toEqual([]);
    const rssBefore = rssBytes(pid);

    const failures = await blast(REQUESTS);
    expect(failures.slice(0, 10), `${failures.length} of ${REQUESTS} requests got no proper error`).toEqual([]);

    const rssAfter = rssBytes(pid);
    expect(rssAfter - rssBefore).toBeLessThan(RSS_GROWTH_LIMIT_BYTES);

    // Still up, still serving the real session, and no session was left behind.
    const health = await rawRequest(`${server.origin}/readyz`, { method: 'GET' });
    expect(health.status).toBe(200);
    expect(JSON.parse(health.body)).toMatchObject({ status: 'ready', sessions: 1 });
    const list = await rawRequest(server.url, { headers: { ...MCP_POST_HEADERS, 'Mcp-Session-Id': sessionId }, body: JSON.stringify({ jsonrpc: '2.0', id: 99, method: 'tools/list' }) });
    expect(list.status).toBe(200);
    expect(list.body).toContain('llm-app-engineer');
    expect(server.child.exitCode).toBeNull();
    console.info(`hostile: ${REQUESTS} requests, RSS ${(rssBefore / 2 ** 20).toFixed(1)} → ${(rssAfter / 2 ** 20).toFixed(1)} MiB`);
  });
});
