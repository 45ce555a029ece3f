/**
 * A real, throwaway redis-server for tests: bound to 127.0.0.1 on a free port, no persistence
 * unless asked (an append-only file in a given folder), ready when it logs "Ready to accept connections" (an event, not a sleep). Tests that need one
 * skip with a clear message where redis-server is not installed, except under CI=true, where a
 * missing redis-server fails the run (.ci/run installs it), so CI cannot pass without them.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from 'vitest';

/** Where redis-server is on the PATH, or why the Redis tests cannot run here. */
export function findRedisServer(): { path: string } | { missing: string } {
  for (const dir of (process.env['PATH'] ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return { path: candidate };
    } catch {
      // not in this folder
    }
  }
  return { missing: 'redis-server is not on the PATH: install it (apt-get install redis-server) to run the Redis store tests' };
}

/** Whether tests that need redis-server must fail rather than skip when it is missing. */
export const REDIS_REQUIRED = process.env['CI'] === 'true';

export interface RedisServerProcess {
  /** e.g. redis://127.0.0.1:40123/0 */
  readonly url: string;
  readonly port: number;
  /** Kill it (SIGKILL by default: a crash, not a shutdown) and wait until it has exited. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Start it again on the same port (empty, unless started with `persistDir`). */
  restart(): Promise<void>;
  /** Kill it if it runs; for afterAll. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1. */
async function pickFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Spawn redis-server on `port`; resolves once it is ready, rejects with its output if it exits first. */
function spawnOn(binary: string, port: number, persistDir?: string): Promise<ChildProcess> {
  // With a folder: every write goes to an append-only file that a restart reads back.
  const persistence = persistDir === undefined ? ['--appendonly', 'no'] : ['--appendonly', 'yes', '--appendfsync', 'always', '--dir', persistDir];
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', ...persistence], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString('utf8');
      if (output.includes('Ready to accept connections')) {
        child.stdout!.off('data', onData);
        // Keep draining so a chatty server never blocks on a full pipe.
        child.stdout!.resume();
        resolve(child);
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => {
      output += chunk.toString('utf8');
    });
    child.once('error', (error) => reject(new Error(`could not start ${binary}: ${error.message}`)));
    child.once('exit', (code, signal) => reject(new Error(`redis-server on port ${port} exited (${code ?? signal}) before it was ready:\n${output}`)));
  });
}

/**
 * Start a redis-server on a free 127.0.0.1 port (a few tries, in case another process took the
 * port). With `persistDir` (an existing, empty folder) it keeps an append-only file there, so a
 * restart comes back with its data.
 */
export async function startRedisServer(options: { persistDir?: string } = {}): Promise<RedisServerProcess> {
  const found = findRedisServer();
  if ('missing' in found) throw new Error(found.missing);
  let child: ChildProcess | undefined;
  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < 3 && child === undefined; attempt++) {
    port = await pickFreePort();
    child = await spawnOn(found.path, port, options.persistDir).catch((error: unknown) => {
      lastError = error;
      return undefined;
    });
  }
  if (child === undefined) throw lastError;
  let current: ChildProcess | undefined = child;

  const kill = async (signal: NodeJS.Signals = 'SIGKILL'): Promise<void> => {
    const running = current;
    current = undefined;
    if (running === undefined || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => running.once('exit', () => resolve()));
    running.kill(signal);
    await exited;
  };

  return {
    url: `redis://127.0.0.1:${port}/0`,
    port,
    kill,
    async restart() {
      await kill();
      current = await spawnOn(found.path, port, options.persistDir);
    },
    stop: () => kill(),
  };
}

/**
 * `describe(title)` with a fresh redis-server started in beforeAll and killed in afterAll;
 * `body` reads it through `redis()`. With `persist`, it keeps an append-only file in a temporary
 * folder (removed in afterAll), so a restart comes back with its data. Where redis-server is missing the block is one test that
 * skips saying so, or fails under CI=true.
 */
export function describeWithRedis(title: string, body: (redis: () => RedisServerProcess) => void, options: { persist?: boolean } = {}): void {
  const found = findRedisServer();
  if ('missing' in found) {
    describe(title, () => {
      it('runs against a real redis-server', (ctx) => {
        if (REDIS_REQUIRED) throw new Error(`${found.missing}; under CI=true these tests must run (.ci/run installs it)`);
        console.warn(`skipping "${title}": ${found.missing}`);
        ctx.skip(found.missing);
      });
    });
    return;
  }
  describe(title, () => {
    let server: RedisServerProcess | undefined;
    let persistDir: string | undefined;
    beforeAll(async () => {
      if (options.persist) persistDir = await mkdtemp(path.join(os.tmpdir(), 'redis-aof-'));
      server = await startRedisServer(persistDir === undefined ? {} : { persistDir });
    });
    afterAll(async () => {
      await server?.stop();
      if (persistDir !== undefined) await rm(persistDir, { recursive: true, force: true });
    });
    body(() => {
      if (server === undefined) throw new Error('redis-server did not start (see beforeAll)');
      return server;
    });
  });
}
