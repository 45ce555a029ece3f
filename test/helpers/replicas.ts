/**
 * Several replicas of the built server on one Redis, behind a round-robin proxy: what a team
 * runs (issue 17). Each replica is `node dist/cli.js --transport http --port 0 --store <redis>`
 * plus the given flags, its URL read from its "listening" log line (spawnHttpServer). Tests
 * kill replicas (SIGKILL: a crash; SIGTERM: a rolling deploy) and wait for them to exit.
 */
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { rawRequest, spawnHttpServer, type HttpServerProcess } from './http-server.js';
import { startRoundRobinProxy, type RoundRobinProxy } from './round-robin-proxy.js';

export interface ReplicaSetOptions {
  /** How many replicas (default 2). */
  count?: number;
  /** The store every replica shares, e.g. redis://127.0.0.1:40123/0. */
  storeUrl: string;
  /** Flags for every replica after `--store` (agents, workspace, --auth-tokens …). */
  args: string[];
  /** Environment for every replica (ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL of the fake API …). */
  env?: Record<string, string>;
}

export interface ReplicaSet {
  /** The replicas, in start order; index i is the proxy's target i. */
  readonly replicas: readonly HttpServerProcess[];
  /** The balancer in front of them; its `url` is the MCP endpoint a client uses. */
  readonly proxy: RoundRobinProxy;
  /** Whether replica `index` is still running. */
  isAlive(index: number): boolean;
  /**
   * Send `signal` to replica `index` (SIGKILL by default) and resolve with its exit code once it
   * has exited; a killed replica is also taken out of the proxy's rotation.
   */
  kill(index: number, signal?: NodeJS.Signals): Promise<number | null>;
  /** GET /readyz of replica `index` directly (not through the proxy): status and parsed body. */
  readyz(index: number): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Stop the proxy and every replica still running; for afterAll. */
  close(): Promise<void>;
}

/** Write `{"<principal>": "<token>"}` to `<dir>/tokens.json` (mode 0600) for `--auth-tokens`; resolves its path. */
export async function writeTokensFile(dir: string, tokens: Record<string, string>): Promise<string> {
  const file = path.join(dir, 'tokens.json');
  await writeFile(file, JSON.stringify(tokens), { mode: 0o600 });
  return file;
}

/** Start `options.count` replicas (in parallel) and a round-robin proxy in front of them. */
export async function startReplicaSet(options: ReplicaSetOptions): Promise<ReplicaSet> {
  const count = options.count ?? 2;
  const started = await Promise.allSettled(
    Array.from({ length: count }, () => spawnHttpServer(['--store', options.storeUrl, ...options.args], options.env ?? {})),
  );
  const replicas = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await Promise.allSettled(replicas.map((r) => r.stop('SIGKILL')));
    throw failed.reason;
  }
  const proxy = await startRoundRobinProxy(replicas.map((r) => r.origin));
  const isAlive = (index: number): boolean => {
    const child = replicas[index]!.child;
    return child.exitCode === null && child.signalCode === null;
  };
  return {
    replicas,
    proxy,
    isAlive,
    async kill(index, signal = 'SIGKILL') {
      const replica = replicas[index]!;
      if (isAlive(index)) replica.child.kill(signal);
      const code = await replica.exited;
      proxy.drop(index);
      return code;
    },
    async readyz(index) {
      // agent: false — no kept-alive connection that would hold the replica's shutdown open.
      const response = await rawRequest(`${replicas[index]!.origin}/readyz`, { method: 'GET', agent: false });
      return { status: response.status, body: JSON.parse(response.body) as Record<string, unknown> };
    },
    async close() {
      await proxy.close();
      await Promise.allSettled(replicas.map((r) => r.stop()));
    },
  };
}
