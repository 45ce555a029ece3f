/**
 * tools/list at 3,000 agents on the legs the latency bench does not speak: stdio opened with
 * `server/discover` (2026-07-28), and Streamable HTTP in both eras (a 2025 session, stateless 2026
 * requests). Ours alone: server CPU per request over 30 sequential requests, after two warm-ups.
 * The stdio 2025 leg, and the floor, are in list-latency.mjs.
 */
import { spawn } from 'node:child_process';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { createAgentSet } from './lib/agent-sets.mjs';
import { CLI, REPO_ROOT, serverNodeArgs } from './lib/build.mjs';
import { BENCH_CACHE_DIR, spawnSide } from './lib/floors.mjs';
import { report } from './lib/report.mjs';
import { cpuMs } from './lib/server.mjs';

const BENCH = 'lists';
const RUNS = 30;
const AGENTS = 3000;
const MODERN = '2026-07-28';
const ENVELOPE = {
  'io.modelcontextprotocol/protocolVersion': MODERN,
  'io.modelcontextprotocol/clientInfo': { name: 'agents-mcp-bench', version: '0.0.0' },
  'io.modelcontextprotocol/clientCapabilities': {},
};
const STARTUP_TIMEOUT_MS = 60_000;

const dir = createAgentSet(AGENTS);

/** Server CPU (ms) per call of `list()`, which must resolve with the answer's tool count. */
async function cpuPerList(pid, list) {
  for (let i = 0; i < 2; i++) await list();
  const before = cpuMs(pid);
  for (let i = 0; i < RUNS; i++) {
    const count = await list();
    if (count !== AGENTS) throw new Error(`expected ${AGENTS} tools, got ${count}`);
  }
  return (cpuMs(pid) - before) / RUNS;
}

async function stdioModern() {
  const server = spawnSide('ours', dir, { args: ['--no-watch'] });
  try {
    await server.request('server/discover', { _meta: ENVELOPE });
    return await cpuPerList(server.pid, async () => (await server.request('tools/list', { _meta: ENVELOPE })).result.tools.length);
  } finally {
    await server.close();
  }
}

/** Our HTTP server on the set; resolves once /readyz says ready. */
async function startHttp() {
  const child = spawn(process.execPath, [...serverNodeArgs(), CLI, '--transport', 'http', '--port', '0', '--agents', dir, '--no-watch'], {
    cwd: REPO_ROOT,
    env: { ...getDefaultEnvironment(), AGENTS_MCP_CACHE_DIR: BENCH_CACHE_DIR },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let logs = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "ready" within ${STARTUP_TIMEOUT_MS} ms:\n${logs}`)), STARTUP_TIMEOUT_MS);
    child.stderr.on('data', (chunk) => {
      logs = (logs + chunk.toString('utf8')).slice(-65_536);
      const listening = /"url":"([^"]+)"[^\n]*"msg":"listening"/.exec(logs);
      if (listening && logs.includes('"msg":"ready"')) {
        clearTimeout(timer);
        resolve(listening[1]);
      }
    });
    child.once('exit', (code) => reject(new Error(`exited (${code}) before ready:\n${logs}`)));
  });
  return { child, url };
}

const POST = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

/** The JSON-RPC result in an answer: plain JSON, or the first `data:` line of an event stream. */
function resultOf(body) {
  const data = body.split('\n').find((line) => line.startsWith('data:'));
  return JSON.parse(data ? data.slice(5) : body).result;
}

async function post(url, headers, message) {
  const response = await fetch(url, { method: 'POST', headers: { ...POST, ...headers }, body: JSON.stringify(message) });
  return { response, body: await response.text() };
}

async function http(era) {
  const { child, url } = await startHttp();
  try {
    let headers = { 'mcp-protocol-version': MODERN, 'mcp-method': 'tools/list' };
    let params = { _meta: ENVELOPE };
    if (era === '2025') {
      const opened = await post(url, {}, { jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'agents-mcp-bench', version: '0.0.0' } } });
      headers = { 'mcp-session-id': opened.response.headers.get('mcp-session-id'), 'mcp-protocol-version': '2025-06-18' };
      params = undefined;
      await post(url, headers, { jsonrpc: '2.0', method: 'notifications/initialized' });
    }
    let id = 1;
    return await cpuPerList(child.pid, async () => resultOf((await post(url, headers, { jsonrpc: '2.0', id: id++, method: 'tools/list', ...(params ? { params } : {}) })).body).tools.length);
  } finally {
    child.kill();
  }
}

report(BENCH, 'tools/list, 3,000 agents, server CPU per request, stdio 2026-07-28', { value: await stdioModern(), unit: 'ms', max: 20 });
report(BENCH, 'tools/list, 3,000 agents, server CPU per request, HTTP 2025 session', { value: await http('2025'), unit: 'ms', detail: 'serialized by the SDK 1.x transport (docs/benchmarks.md)' });
report(BENCH, 'tools/list, 3,000 agents, server CPU per request, HTTP 2026-07-28', { value: await http('2026'), unit: 'ms', detail: 'serialized by the SDK v2 handler (docs/benchmarks.md)' });
