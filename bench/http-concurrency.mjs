/**
 * Server CPU per 1-turn agent call over Streamable HTTP: 200 calls, 50 in flight, the fake model
 * answering each turn after 50 ms; ours against the floor (bench/floors/turn-server.mjs: an MCP
 * SDK v2 server whose tool makes one streamed Anthropic SDK turn), alternating. The client is
 * the SDK v2 client negotiating the era (`server/discover`, falling back to `initialize`): the
 * floor speaks 2026-07-28; ours speaks whatever it offers (the 2025 era until it moves to SDK v2,
 * then 2026-07-28). The era each side negotiated is printed with the figure.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { alternate } from './lib/alternate.mjs';
import { createTempDir } from './lib/agent-sets.mjs';
import { CLI, REPO_ROOT, importFake, serverNodeArgs } from './lib/build.mjs';
import { BENCH_CACHE_DIR } from './lib/floors.mjs';
import { report, reportRatio } from './lib/report.mjs';
import { cpuMs, peakRssMiB } from './lib/server.mjs';
import { median } from './lib/stats.mjs';

const BENCH = 'http';
const CALLS = 200;
const IN_FLIGHT = 50;
const CLIENTS = 5; // 10 calls in flight per client
const WARM_UP_CALLS = 20;
const ROUNDS = 2; // per side
const MODEL_LATENCY_MS = 50;
const API_KEY = 'bench-key-0123456789';
const TOKEN = randomBytes(24).toString('hex');
const STARTUP_TIMEOUT_MS = 30_000;
const FLOOR = path.join(REPO_ROOT, 'bench', 'floors', 'turn-server.mjs');

const { startFakeAnthropic, delay, reply, text } = await importFake();

// One agent with no tools, so a call is one model turn like the floor's (no tool definitions to send).
const agentsDir = createTempDir('agents-mcp-bench-http-');
writeFileSync(path.join(agentsDir, 'answer.md'), '---\nname: answer\ndescription: Answers in one turn.\ntools: Read\n---\nAnswer briefly.\n');

/** Start one side; resolves with `{ child, endpoint, headers, tool, arguments }` once it serves. */
async function startSide(side, env) {
  const args =
    side === 'ours'
      ? [...serverNodeArgs(), CLI, '--transport', 'http', '--port', '0', '--agents', agentsDir, '--workspace', agentsDir, '--no-watch']
      : [...serverNodeArgs(), FLOOR];
  const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env: { ...getDefaultEnvironment(), ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
  let logs = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${side}: no listening URL within ${STARTUP_TIMEOUT_MS} ms:\n${logs}`)), STARTUP_TIMEOUT_MS);
    const onData = (chunk) => {
      logs = (logs + chunk.toString('utf8')).slice(-65_536);
      const match = /http:\/\/127\.0\.0\.1:(\d+)[^\s"']*/.exec(logs);
      if (match && match[1] !== '0') {
        clearTimeout(timer);
        resolve(match[0]);
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${side} exited (${code}) before listening:\n${logs}`));
    });
  });
  const endpoint = new URL(url);
  if (endpoint.pathname === '/' || endpoint.pathname === '') endpoint.pathname = '/mcp';
  if (side === 'ours') {
    for (const started = performance.now(); performance.now() - started < STARTUP_TIMEOUT_MS; await sleep(20)) {
      if ((await fetch(new URL('/readyz', endpoint)).then((r) => r.status, () => 0)) === 200) break;
    }
  }
  return {
    child,
    endpoint,
    headers: side === 'ours' ? { Authorization: `Bearer ${TOKEN}` } : {},
    tool: side === 'ours' ? 'answer' : 'agent',
  };
}

/** Run `count` calls through `clients`, at most IN_FLIGHT at once; resolves with the error count. */
async function runCalls(clients, tool, count) {
  let next = 0;
  let errors = 0;
  const worker = async (w) => {
    const client = clients[w % clients.length];
    while (next < count) {
      const i = next++;
      try {
        const result = await client.callTool({ name: tool, arguments: { prompt: `Call ${i}.` } }, { timeout: 120_000 });
        if (result.isError || !JSON.stringify(result.content).includes('Done.')) errors++;
      } catch {
        errors++;
      }
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, (_, w) => worker(w)));
  return errors;
}

const fake = await startFakeAnthropic({ apiKey: API_KEY });
// The parse cache in the bench's temp folder, never the user's ~/.cache.
const env = { ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url, AGENTS_MCP_AUTH_TOKEN: TOKEN, AGENTS_MCP_CACHE_DIR: BENCH_CACHE_DIR };
const modelStep = () => delay(MODEL_LATENCY_MS, reply([text('Done.')]));
const eras = {};
try {
  const results = await alternate(['ours', 'floor'], ROUNDS, async (side) => {
    const server = await startSide(side, env);
    const clients = [];
    try {
      for (let i = 0; i < CLIENTS; i++) {
        const client = new Client({ name: `agents-mcp-bench-${i}`, version: '0.0.0' }, { versionNegotiation: { mode: 'auto' } });
        await client.connect(new StreamableHTTPClientTransport(server.endpoint, { requestInit: { headers: server.headers } }));
        clients.push(client);
      }
      eras[side] = `${clients[0].getProtocolEra()} ${clients[0].getNegotiatedProtocolVersion() ?? ''}`.trim();
      fake.script(...Array.from({ length: WARM_UP_CALLS }, () => modelStep));
      await runCalls(clients, server.tool, WARM_UP_CALLS); // loads the model SDK, JITs the path
      fake.script(...Array.from({ length: CALLS }, () => modelStep));
      const unexpectedBefore = fake.unexpected.length;
      const cpuBefore = cpuMs(server.child.pid);
      const started = performance.now();
      const errors = await runCalls(clients, server.tool, CALLS);
      const wall = performance.now() - started;
      const cpu = cpuMs(server.child.pid) - cpuBefore;
      return { cpuPerCall: cpu / CALLS, wall, errors: errors + fake.unexpected.length - unexpectedBefore, peak: peakRssMiB(server.child.pid) };
    } finally {
      await Promise.allSettled(clients.map((c) => c.close()));
      server.child.kill('SIGTERM');
      await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)));
    }
  });
  const per = (side, key) => median(results[side].map((r) => r[key]));
  const errors = (side) => results[side].reduce((sum, r) => sum + r.errors, 0);
  reportRatio(BENCH, `server CPU per 1-turn call, ${CALLS} calls, ${IN_FLIGHT} in flight, model ${MODEL_LATENCY_MS} ms`, {
    ours: per('ours', 'cpuPerCall'),
    floor: per('floor', 'cpuPerCall'),
    unit: 'ms',
    maxRatio: 1.2,
    detail: `ours ${eras.ours}, floor ${eras.floor}; median of ${ROUNDS}`,
  });
  reportRatio(BENCH, `wall time for ${CALLS} calls`, { ours: per('ours', 'wall'), floor: per('floor', 'wall'), unit: 'ms' });
  report(BENCH, `errors over ${ROUNDS * CALLS} calls, ours`, { value: errors('ours'), max: 0, detail: `floor: ${errors('floor')}` });
  reportRatio(BENCH, 'server peak RSS', { ours: per('ours', 'peak'), floor: per('floor', 'peak'), unit: 'MiB' });
} finally {
  await fake.close();
}
