/**
 * Spawn the built server (dist/cli.js) as an MCP client would, over real stdio, and connect
 * the real SDK client to it.
 */
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';

export const REPO_ROOT = path.resolve(import.meta.dirname, '..', '..');
export const CLI = path.join(REPO_ROOT, 'dist', 'cli.js');

export interface SpawnedServer {
  client: Client;
  /** Everything the server wrote to stderr so far (its logs). */
  stderr(): string;
  /** The server process id (for /proc checks: memory, open files, children). */
  pid: number;
  close(): Promise<void>;
}

/** Start `node dist/cli.js ...args` with exactly `env` on top of the SDK's safe defaults. */
export async function spawnStdioServer(args: string[], env: Record<string, string> = {}, cwd = REPO_ROOT): Promise<SpawnedServer> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [CLI, ...args],
    env: { ...getDefaultEnvironment(), ...env },
    cwd,
    stderr: 'pipe',
  });
  let logs = '';
  transport.stderr?.on('data', (chunk: Buffer) => {
    logs += chunk.toString('utf8');
  });
  const client = new Client({ name: 'agents-mcp-tests', version: '0.0.0' });
  await client.connect(transport);
  return {
    client,
    stderr: () => logs,
    pid: transport.pid ?? -1,
    close: () => client.close(),
  };
}
