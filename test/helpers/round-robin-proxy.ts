/**
 * A plain round-robin HTTP balancer for tests, as a team would put in front of replicas: no
 * stickiness (request i goes to target i mod N, whatever its Mcp-Session-Id), bodies passed
 * through, SSE answers streamed as they come. It records which target served each request, can
 * take a target out of rotation, and fails over to the next target when one refuses the
 * connection (a replica that is gone), as nginx's `proxy_next_upstream error` does.
 */
import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request the proxy passed on. */
export interface ProxiedRequest {
  /** Index of the target that answered (in the order given to {@link startRoundRobinProxy}). */
  readonly target: number;
  readonly method: string;
  /** The JSON-RPC method of a POST, when its body was one JSON-RPC message. */
  readonly rpcMethod?: string;
  readonly status: number;
}

export interface RoundRobinProxy {
  /** e.g. http://127.0.0.1:40123/mcp — the replicas' MCP endpoint through the proxy. */
  readonly url: string;
  /** Every request answered so far, in the order they were answered. */
  served(): readonly ProxiedRequest[];
  /** Which targets answered at least one request. */
  targetsSeen(): Set<number>;
  /** The target the next request goes to (if it accepts the connection); undefined when none is left. */
  nextTarget(): number | undefined;
  /** Take target `index` out of rotation (e.g. after killing it); requests skip it from now on. */
  drop(index: number): void;
  close(): Promise<void>;
}

/** Largest request body the proxy holds (MCP requests are small JSON). */
const MAX_REQUEST_BODY_BYTES = 8 * 1024 * 1024;

/** Hop-by-hop headers a proxy must not pass on (RFC 9110 §7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer']);

function endToEnd(headers: IncomingHttpHeaders): IncomingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !HOP_BY_HOP.has(name)));
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BODY_BYTES) throw new Error(`request body over ${MAX_REQUEST_BODY_BYTES} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function rpcMethodOf(body: Buffer): string | undefined {
  try {
    const message = JSON.parse(body.toString('utf8')) as { method?: unknown };
    return typeof message.method === 'string' ? message.method : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Start a proxy on 127.0.0.1 (port 0) in front of `targets` (origins such as
 * http://127.0.0.1:40001). `path` is the MCP endpoint path its `url` names (default `/mcp`).
 */
export async function startRoundRobinProxy(targets: readonly string[], options: { path?: string } = {}): Promise<RoundRobinProxy> {
  const served: ProxiedRequest[] = [];
  const dropped = new Set<number>();
  let next = 0;

  const inRotation = (): number[] => targets.map((_, i) => i).filter((i) => !dropped.has(i));
  /** The targets to try for the next request: its turn first, then the rest in order. */
  const rotation = (): number[] => {
    const live = inRotation();
    if (live.length === 0) return [];
    const first = next++ % live.length;
    return [...live.slice(first), ...live.slice(0, first)];
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer, order: number[]): void => {
    const index = order[0];
    if (index === undefined) {
      res.writeHead(502, { 'content-type': 'text/plain' }).end('no replica accepted the connection');
      return;
    }
    const target = new URL(targets[index]!);
    // agent: false — a fresh connection per request, so a killed replica is refused at once
    // (ECONNREFUSED, failed over) rather than found dead on a pooled socket mid-request.
    const upstream = request(
      { hostname: target.hostname, port: target.port, method: req.method, path: req.url, headers: endToEnd(req.headers), agent: false },
      (answer) => {
        served.push({ target: index, method: req.method ?? 'GET', ...(rpcMethodOf(body) ? { rpcMethod: rpcMethodOf(body)! } : {}), status: answer.statusCode ?? 0 });
        res.writeHead(answer.statusCode ?? 502, endToEnd(answer.headers));
        res.flushHeaders();
        answer.pipe(res);
        // The replica died mid-answer: cut the client's connection too, as a balancer does.
        answer.once('aborted', () => res.destroy());
        answer.once('error', () => res.destroy());
      },
    );
    upstream.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ECONNREFUSED' && !res.headersSent) {
        forward(req, res, body, order.slice(1));
        return;
      }
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' }).end(`replica ${index}: ${error.message}`);
      else res.destroy();
    });
    // The client went away (e.g. closed an SSE stream): stop the replica's side as well.
    res.once('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    upstream.end(body);
  };

  const server = createServer((req, res) => {
    readBody(req).then(
      (body) => forward(req, res, body, rotation()),
      (error: unknown) => res.writeHead(413, { 'content-type': 'text/plain' }).end(String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${options.path ?? '/mcp'}`,
    served: () => served,
    targetsSeen: () => new Set(served.map((s) => s.target)),
    nextTarget: () => {
      const live = inRotation();
      return live[next % live.length];
    },
    drop: (index) => dropped.add(index),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
