/**
 * Spawn the built server over real stdio with the real MCP SDK client, as an MCP client does.
 */
import { performance } from 'node:perf_hooks';
import { readFileSync } from 'node:fs';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, REPO_ROOT, ensureBuilt, serverNodeArgs } from './build.mjs';

/**
 * Start `node dist/cli.js ...args` and connect (initialize). Returns the client, the server's
 * pid, the time from spawn to a connected session, and its stderr so far.
 */
export async function startServer(args, env = {}) {
  ensureBuilt();
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [...serverNodeArgs(), CLI, ...args],
    env: { ...getDefaultEnvironment(), ...env },
    cwd: REPO_ROOT,
    stderr: 'pipe',
  });
  // Drain stderr (a full pipe would block the server's synchronous log writes); keep the tail.
  let logs = '';
  transport.stderr?.on('data', (chunk) => {
    logs = (logs + chunk.toString('utf8')).slice(-65_536);
  });
  const client = new Client({ name: 'agents-mcp-bench', version: '0.0.0' });
  const spawnedAt = performance.now();
  await client.connect(transport);
  return {
    client,
    spawnedAt,
    pid: transport.pid,
    stderr: () => logs,
    close: () => client.close(),
  };
}

/** Resident set size of a process, in MiB, from /proc (Linux). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kb / 1024;
}

/** Peak resident set size of a process so far (VmHWM), in MiB. */
export function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)\s+kB/.exec(status)?.[1]);
  return kb / 1024;
}

/** CPU time (user + system, all threads) a process has used so far, in ms (10 ms resolution). */
export function cpuMs(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces) start at the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}
