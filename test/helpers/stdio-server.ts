/**
 * Spawn the built server (dist/cli.js) as an MCP client would, over real stdio, and connect
 * the real SDK client to it.
 */
import path from 'node:path';
import { Client, type ClientOptions } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { parseCacheEnv } from './parse-cache-dir.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface SpawnedServer {
  client: Client;
  /** Everything the server wrote to stderr so far (its logs). */
  stderr(): string;
  /**
   * Resolves once the logs match `pattern`. The server's stderr and stdout are separate pipes,
   * so a log line written before a result may still be on its way when the result arrives.
   */
  waitForStderr(pattern: RegExp): Promise<string>;
  /** The server process id (for /proc checks: memory, open files, children). */
  pid: number;
  close(): Promise<void>;
}

/**
 * Start `node dist/cli.js ...args` with exactly `env` on top of the SDK's safe defaults.
 * @param clientOptions the client's options, e.g. the capabilities it declares (elicitation, roots).
 */
export async function spawnStdioServer(args: string[], env: Record<string, string> = {}, cwd = REPO_ROOT, clientOptions?: ClientOptions): Promise<SpawnedServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env: { ...getDefaultEnvironment(), ...parseCacheEnv(), ...env },
    cwd,
    stderr: 'pipe',
  });
  let logs = '';
  const waiters = new Set<{ pattern: RegExp; resolve: (logs: string) => void }>();
  transport.stderr?.on('data', (chunk: Buffer) => {
    logs += chunk.toString('utf8');
    for (const w of waiters) {
      if (w.pattern.test(logs)) {
        waiters.delete(w);
        w.resolve(logs);
      }
    }
  });
  const client = new Client({ name: 'agents-mcp-tests', version: '0.0.0' }, clientOptions);
  await client.connect(transport);
  return {
    client,
    stderr: () => logs,
    waitForStderr: (pattern) =>
      pattern.test(logs) ? Promise.resolve(logs) : new Promise((resolve) => waiters.add({ pattern, resolve })),
    pid: transport.pid ?? -1,
    close: () => client.close(),
  };
}
