/**
 * The test balancer itself: strict round-robin, bodies and SSE streams passed through as they
 * come, failover when a target refuses the connection, and a 502 when none is left.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';

const servers: Server[] = [];
const proxies: RoundRobinProxy[] = [];
/** Resolves the SSE target's second event once the test has seen the first (no sleeps). */
let releaseSecondEvent: () => void = () => undefined;

async function listen(server: Server): Promise<string> {
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A target that echoes its name and the request body. */
function echo(name: string): Server {
  return createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ name, body: Buffer.concat(chunks).toString('utf8') })));
  });
}

/** A target that answers with an SSE stream: one event now, one when the test allows it. */
function sse(): Server {
  return createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    res.write('data: first\n\n');
    releaseSecondEvent = () => res.end('data: second\n\n');
  });
}

let a: string;
let b: string;
let refused: string;
beforeAll(async () => {
  a = await listen(echo('a'));
  b = await listen(echo('b'));
  // A port that was open and is closed again: connecting to it is refused.
  const closed = createServer();
  refused = await new Promise<string>((resolve) => closed.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(closed.address() as AddressInfo).port}`)));
  await new Promise<void>((resolve) => closed.close(() => resolve()));
});
afterAll(async () => {
  await Promise.allSettled(proxies.map((p) => p.close()));
  for (const s of servers) s.closeAllConnections();
  await Promise.allSettled(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function proxy(targets: string[]): Promise<RoundRobinProxy> {
  const started = await startRoundRobinProxy(targets);
  proxies.push(started);
  return started;
}

describe('round-robin test proxy', () => {
  it('sends request i to target i mod N with its body, and records who served it', async () => {
    const p = await proxy([a, b]);
    const names: string[] = [];
    for (let i = 0; i < 4; i++) {
      const res = await fetch(p.url, { method: 'POST', body: JSON.stringify({ jsonrpc: '2.0', id: i, method: 'tools/list' }) });
      const answer = (await res.json()) as { name: string; body: string };
      expect(JSON.parse(answer.body)).toMatchObject({ id: i });
      names.push(answer.name);
    }
    expect(names).toEqual(['a', 'b', 'a', 'b']);
    expect(p.served().map((s) => [s.target, s.rpcMethod])).toEqual([[0, 'tools/list'], [1, 'tools/list'], [0, 'tools/list'], [1, 'tools/list']]);
    expect(p.targetsSeen()).toEqual(new Set([0, 1]));
  });

  it('streams an SSE answer event by event', async () => {
    const p = await proxy([await listen(sse())]);
    const res = await fetch(p.url);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const decoder = new TextDecoder();
    // The first event arrives while the target still holds the stream open.
    expect(decoder.decode((await reader.read()).value)).toBe('data: first\n\n');
    releaseSecondEvent();
    let rest = '';
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) rest += decoder.decode(chunk.value);
    expect(rest).toBe('data: second\n\n');
  });

  it('fails over to the next target when one refuses the connection, and skips a dropped one', async () => {
    const p = await proxy([refused, a, b]);
    const names: string[] = [];
    for (let i = 0; i < 3; i++) names.push(((await (await fetch(p.url, { method: 'POST', body: '{}' })).json()) as { name: string }).name);
    // Turn 0 is the refusing target: that request goes on to `a`.
    expect(names).toEqual(['a', 'a', 'b']);
    p.drop(1);
    const after = ((await (await fetch(p.url, { method: 'POST', body: '{}' })).json()) as { name: string }).name;
    expect(after).toBe('b');
  });

  it('answers 502 naming the cause when no target accepts the connection', async () => {
    const p = await proxy([refused]);
    const res = await fetch(p.url, { method: 'POST', body: '{}' });
    expect(res.status).toBe(502);
    expect(await res.text()).toContain('no replica accepted the connection');
  });
});
