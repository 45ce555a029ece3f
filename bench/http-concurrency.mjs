/**
 * 200 concurrent agent calls over Streamable HTTP, 3 model turns each (a Read call, a Read
 * call, then the answer), the fake model answering every turn after 50 ms. Reports the wall
 * time against the ideal (3 × 50 ms: every call fully in parallel, the server costing nothing),
 * errors, and the server's peak RSS. Needs `--transport http`; with a CLI that rejects it,
 * prints "skipped: HTTP transport not available".
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { BUNDLED_AGENTS_DIR } from './lib/agent-sets.mjs';
import { CLI, REPO_ROOT, importFake, serverNodeArgs } from './lib/build.mjs';
import { report, skipped } from './lib/report.mjs';
import { cpuMs, peakRssMiB } from './lib/server.mjs';

const BENCH = 'http';
const CALLS = 200;
const SESSIONS = 20; // 10 concurrent calls per session; the server's default cap is 100 sessions
const TURNS = 3;
const MODEL_LATENCY_MS = 50;
const IDEAL_MS = TURNS * MODEL_LATENCY_MS;
const API_KEY = 'bench-key-0123456789';
const TOKEN = randomBytes(24).toString('hex');
const STARTUP_TIMEOUT_MS = 30_000;

const { startFakeAnthropic, delay, reply, text, toolUse } = await importFake();

const workspace = mkdtempSync(path.join(os.tmpdir(), 'agents-mcp-bench-http-'));
process.once('exit', () => rmSync(workspace, { recursive: true, force: true }));
writeFileSync(path.join(workspace, 'notes.txt'), 'alpha\nbeta\ngamma\n');

/**
 * Start the server over HTTP on a free port. Resolves with `{ child, url }` once its
 * `listening` line (with the URL) has been logged and /readyz answers 200, or with
 * `{ unavailable }` when the CLI does not know --transport.
 */
async function startHttpServer(env) {
  const child = spawn(
    process.execPath,
    [...serverNodeArgs(), CLI, '--transport', 'http', '--port', '0', '--agents', BUNDLED_AGENTS_DIR, '--workspace', workspace, '--no-watch'],
    { cwd: REPO_ROOT, env: { ...getDefaultEnvironment(), ...env }, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let logs = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "listening" URL within ${STARTUP_TIMEOUT_MS} ms:\n${logs}`)), STARTUP_TIMEOUT_MS);
    child.stderr.on('data', (chunk) => {
      logs = (logs + chunk.toString('utf8')).slice(-65_536);
      const match = /https?:\/\/(?:127\.0\.0\.1|localhost|\[::1\]):(\d+)[^\s"']*/.exec(logs);
      if (match && match[1] !== '0') {
        clearTimeout(timer);
        resolve(match[0]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (/unknown option|invalid.*transport|transport.*(invalid|unknown|not)/i.test(logs)) resolve(undefined);
      else reject(new Error(`server exited (${code}) before listening:\n${logs}`));
    });
  });
  if (url === undefined) return { unavailable: true };
  const endpoint = new URL(url);
  if (endpoint.pathname === '/' || endpoint.pathname === '') endpoint.pathname = '/mcp';
  // Wait until the catalog is loaded (the server answers MCP with 503 before that).
  for (const started = performance.now(); performance.now() - started < STARTUP_TIMEOUT_MS; await sleep(20)) {
    const ready = await fetch(new URL('/readyz', endpoint)).then((r) => r.status, () => 0);
    if (ready === 200 || ready === 404) break; // 404: a server without a readiness probe
  }
  return { child, endpoint, logs: () => logs };
}

/** The model: Read, Read, answer; each after MODEL_LATENCY_MS. */
function modelStep(request) {
  const turn = request.body.messages.filter((m) => m.role === 'assistant').length;
  const answer = turn >= TURNS - 1 ? reply([text('Done.')]) : reply([toolUse('Read', { file_path: path.join(workspace, 'notes.txt') })]);
  return delay(MODEL_LATENCY_MS, answer);
}

const fake = await startFakeAnthropic({ apiKey: API_KEY });
const server = await startHttpServer({ ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url, AGENTS_MCP_AUTH_TOKEN: TOKEN });
if (server.unavailable) {
  skipped(BENCH, `${CALLS} concurrent calls`, 'HTTP transport not available');
  await fake.close();
} else {
  const clients = [];
  try {
    for (let i = 0; i < SESSIONS; i++) {
      const client = new Client({ name: `agents-mcp-bench-${i}`, version: '0.0.0' });
      await client.connect(new StreamableHTTPClientTransport(server.endpoint, { requestInit: { headers: { Authorization: `Bearer ${TOKEN}` } } }));
      clients.push(client);
    }
    // Warm up: the first call loads the model SDK and JITs the loop.
    fake.script(...Array.from({ length: TURNS * SESSIONS }, () => modelStep));
    await Promise.all(clients.map((c) => c.callTool({ name: 'llm-app-engineer', arguments: { prompt: 'Warm up.' } })));

    fake.script(...Array.from({ length: TURNS * CALLS }, () => modelStep));
    let errors = 0;
    const cpuBefore = cpuMs(server.child.pid);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: CALLS }, (_, i) =>
        clients[i % SESSIONS]
          .callTool({ name: 'llm-app-engineer', arguments: { prompt: `Call ${i}.` } }, undefined, { timeout: 120_000 })
          .then((r) => {
            if (r.isError || r.structuredContent?.turns !== TURNS) errors++;
          })
          .catch(() => errors++),
      ),
    );
    const wall = performance.now() - started;
    const serverCpu = cpuMs(server.child.pid) - cpuBefore;
    const unexpected = fake.unexpected.length;
    report(BENCH, `${CALLS} concurrent calls × ${TURNS} turns, wall time`, { value: wall, unit: 'ms', detail: `ideal ${IDEAL_MS} ms` });
    report(BENCH, `${CALLS} concurrent calls, wall ÷ ideal`, { value: wall / IDEAL_MS, unit: '×', max: 1.3 });
    // The server runs JavaScript on one thread: its CPU time per call bounds the wall time from below.
    report(BENCH, `${CALLS} concurrent calls, server CPU time per call`, { value: serverCpu / CALLS, unit: 'ms', detail: `${serverCpu.toFixed(0)} ms in all` });
    report(BENCH, `${CALLS} concurrent calls, errors`, { value: errors + unexpected, max: 0, detail: `${unexpected} unexpected model requests` });
    report(BENCH, `${CALLS} concurrent calls, server peak RSS`, { value: peakRssMiB(server.child.pid) * 1.048576, unit: 'MB', max: 250 });
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
    server.child.kill('SIGTERM');
    await new Promise((resolve) => (server.child.exitCode !== null ? resolve() : server.child.once('exit', resolve)));
    await fake.close();
  }
}
