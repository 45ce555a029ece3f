/**
 * Spawn the built server (dist/cli.js) with `--transport http --port 0`, wait for its
 * "listening" log line to learn the URL, and connect real SDK clients to it over HTTP.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { request, type Agent } from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { CLI, REPO_ROOT } from './stdio-server.js';
import { parseCacheEnv } from './parse-cache-dir.js';

export interface HttpServerProcess {
  /** e.g. http://127.0.0.1:40123/mcp */
  readonly url: string;
  /** e.g. http://127.0.0.1:40123 */
  readonly origin: string;
  readonly child: ChildProcess;
  /** Everything the server wrote to stderr so far (its logs). */
  stderr(): string;
  /** Resolves with the first log line (parsed) whose `msg` is `msg` and that passes `match`. */
  waitForLog(msg: string, match?: (line: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  /**
   * A connected SDK client; `headers` go on every request (e.g. Authorization). With
   * `listening`, also waits until the client's GET stream (where list_changed arrives) is open.
   */
  connect(options?: { headers?: Record<string, string>; name?: string; listening?: boolean }): Promise<Client>;
  /** Send `signal` and resolve with the exit code (null if killed by a signal). */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
}

/**
 * Start `node dist/cli.js --transport http --host 127.0.0.1 --port 0 ...args` with `env` over the SDK's safe defaults.
 * Resolves once the catalog is loaded (the "ready" line), or with `untilReady: false` once the port is open.
 */
export async function spawnHttpServer(args: string[], env: Record<string, string> = {}, { untilReady = true }: { untilReady?: boolean } = {}): Promise<HttpServerProcess> {
  const child = spawn(process.execPath, [CLI, '--transport', 'http', '--host', '127.0.0.1', '--port', '0', ...args], {
    cwd: REPO_ROOT,
    env: { ...getDefaultEnvironment(), ...parseCacheEnv(), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let logs = '';
  const lines: Array<Record<string, unknown>> = [];
  const waiters: Array<{ msg: string; match: (l: Record<string, unknown>) => boolean; resolve: (l: Record<string, unknown>) => void }> = [];
  let partial = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    logs += chunk;
    partial += chunk;
    const complete = partial.split('\n');
    partial = complete.pop() ?? '';
    for (const text of complete) {
      let line: Record<string, unknown>;
      try {
        line = JSON.parse(text) as Record<string, unknown>;
      } catch {
        continue;
      }
      lines.push(line);
      for (const w of waiters.filter((w) => w.msg === line['msg'] && w.match(line))) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(line);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));

  const waitForLog = (msg: string, match: (l: Record<string, unknown>) => boolean = () => true): Promise<Record<string, unknown>> => {
    const seen = lines.find((l) => l['msg'] === msg && match(l));
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      waiters.push({ msg, match, resolve });
      void exited.then((code) => reject(new Error(`server exited (code ${code}) before logging "${msg}":\n${logs}`)));
    });
  };

  const listening = await waitForLog('listening');
  if (untilReady) await waitForLog('ready');
  const url = String(listening['url']);
  const clients: Client[] = [];
  return {
    url,
    origin: new URL(url).origin,
    child,
    stderr: () => logs,
    waitForLog,
    async connect(options = {}) {
      let streamOpen!: () => void;
      const getStream = new Promise<void>((resolve) => {
        streamOpen = resolve;
      });
      const watchGet: typeof fetch = async (input, init) => {
        const res = await fetch(input, init);
        if (init?.method === 'GET' && res.ok) streamOpen();
        return res;
      };
      const transport = new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: options.headers ?? {} }, fetch: watchGet });
      const client = new Client({ name: options.name ?? 'agents-mcp-tests', version: '0.0.0' });
      await client.connect(transport);
      clients.push(client);
      if (options.listening) await getStream;
      return client;
    },
    async stop(signal = 'SIGTERM') {
      await Promise.allSettled(clients.map((c) => c.close()));
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
    exited,
  };
}

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * One HTTP request with exactly these headers (node:http lets a test set Host, which fetch
 * does not), read to the end. For SSE answers, resolves when the server ends the stream.
 */
export function rawRequest(
  url: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; agent?: Agent | false; /** Sent as is, `..` included. */ path?: string } = {},
): Promise<RawResponse> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const init = { hostname: target.hostname, port: target.port, path: options.path ?? `${target.pathname}${target.search}` };
    const req = request({ ...init, method: options.method ?? 'POST', headers: options.headers ?? {}, agent: options.agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Headers of a well-formed MCP POST. */
export const MCP_POST_HEADERS = { 'Content-Type': 'application/json', Accept: 'application/json, text/event-stream' } as const;

/** A JSON-RPC initialize request body. */
export function initializeBody(id: number | string = 1): string {
  return JSON.stringify({
    jsonrpc: '2.0',
    id,
    method: 'initialize',
    params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw-test', version: '0.0.0' } },
  });
}
