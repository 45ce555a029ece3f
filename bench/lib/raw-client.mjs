/**
 * A minimal MCP client over stdio that speaks raw JSON-RPC lines, for timing the server alone.
 * The SDK's Client validates every result with zod and compiles an output-schema validator per
 * tool on tools/list; at 3,000 tools that client-side work would dwarf the server's, so the
 * latency figures use this client and report the SDK client's overhead separately.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI, REPO_ROOT, ensureBuilt, serverNodeArgs } from './build.mjs';

const PROTOCOL_VERSION = '2025-06-18';

/**
 * Spawn `node dist/cli.js ...args` (or `node <script> ...args`). `request(method, params)`
 * resolves with `{ result, bytes, receivedAt }` when the answer's line has arrived
 * (performance.now()). `spawnedAt` is taken just before the spawn.
 */
export function spawnRaw(args, env = {}, script = CLI) {
  ensureBuilt();
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, [...serverNodeArgs(), script, ...args], {
    cwd: REPO_ROOT,
    env: { ...getDefaultEnvironment(), ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let logs = '';
  child.stderr.on('data', (chunk) => {
    logs = (logs + chunk.toString('utf8')).slice(-65_536);
  });
  const pending = new Map();
  let nextId = 1;
  let buffered = [];
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  child.stdout.on('data', (chunk) => {
    let start = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, start)) {
      buffered.push(chunk.subarray(start, nl));
      start = nl + 1;
      const line = Buffer.concat(buffered);
      buffered = [];
      const receivedAt = performance.now();
      const message = JSON.parse(line.toString('utf8'));
      const waiter = message.id !== undefined ? pending.get(message.id) : undefined;
      if (!waiter) continue;
      pending.delete(message.id);
      if (message.error) waiter.reject(new Error(`${message.error.code}: ${message.error.message}`));
      else waiter.resolve({ result: message.result, bytes: line.length, receivedAt });
    }
    if (start < chunk.length) buffered.push(chunk.subarray(start));
  });
  exited.then(({ code, signal }) => {
    for (const w of pending.values()) w.reject(new Error(`server exited (${code ?? signal}) before answering\n${logs}`));
    pending.clear();
  });

  const send = (message) => child.stdin.write(`${JSON.stringify(message)}\n`);
  const request = (method, params) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
    });

  return {
    pid: child.pid,
    spawnedAt,
    stderr: () => logs,
    request,
    /** initialize + notifications/initialized. */
    async initialize() {
      const answer = await request('initialize', {
        protocolVersion: PROTOCOL_VERSION,
        capabilities: {},
        clientInfo: { name: 'agents-mcp-bench', version: '0.0.0' },
      });
      send({ jsonrpc: '2.0', method: 'notifications/initialized' });
      return answer;
    },
    /** Close stdin (the server's cue to exit) and wait for the exit; SIGKILL after 5 s. */
    async close() {
      child.stdin.end();
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };
}
