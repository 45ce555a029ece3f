/**
 * Spawn → first tools/list answered, over stdio, with 5, 300 and 3,000 agents: how long a
 * client waits before it can offer the server's tools. Default settings (folder watching on).
 * Timed with a raw JSON-RPC client (see lib/raw-client.mjs); the SDK client's own cost of
 * digesting the list is reported beside it.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { BUNDLED_AGENTS_DIR, corpusProblem, createAgentSet } from './lib/agent-sets.mjs';
import { spawnRaw } from './lib/raw-client.mjs';
import { report, skipped, spread } from './lib/report.mjs';
import { cpuMs, startServer } from './lib/server.mjs';
import { summarize } from './lib/stats.mjs';

const BENCH = 'startup';
const CASES = [
  { agents: 5, runs: 15, maxMs: 150 },
  { agents: 300, runs: 10 },
  { agents: 3000, runs: 7, maxMs: 350 },
];

/** ms from spawn to the first tools/list answer, as a client does it: initialize, then list. */
async function timeFirstList(dir, expected) {
  const server = spawnRaw(['--agents', dir]);
  try {
    await server.initialize();
    const { result, receivedAt } = await server.request('tools/list');
    const cpu = cpuMs(server.pid);
    if (result.tools.length !== expected) throw new Error(`expected ${expected} tools, got ${result.tools.length}\n${server.stderr()}`);
    return { wall: receivedAt - server.spawnedAt, cpu };
  } finally {
    await server.close();
  }
}

/** ms the SDK client takes for listTools (wire + its zod parse + output-schema validators). */
async function timeSdkListTools(dir) {
  const server = await startServer(['--agents', dir, '--no-watch']);
  try {
    const started = performance.now();
    await server.client.listTools();
    return performance.now() - started;
  } finally {
    await server.close();
  }
}

/** ms from spawn to exit of `node -e ""`: the floor every figure here stands on, for calibration. */
async function timeBareNode() {
  const started = performance.now();
  await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', ''], { stdio: 'ignore' });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  return performance.now() - started;
}

const bare = [];
for (let i = 0; i < 15; i++) bare.push(await timeBareNode());
const b = summarize(bare);
report(BENCH, 'spawn → exit of a bare `node -e ""`, for calibration (median)', { value: b.median, unit: 'ms', detail: spread(b) });

for (const c of CASES) {
  const figure = `spawn → first tools/list, ${c.agents} agents`;
  if (c.agents > 5 && corpusProblem()) {
    skipped(BENCH, figure, corpusProblem());
    continue;
  }
  const dir = c.agents === 5 ? BUNDLED_AGENTS_DIR : createAgentSet(c.agents);
  await timeFirstList(dir, c.agents); // warm the page cache
  const runs = [];
  for (let i = 0; i < c.runs; i++) runs.push(await timeFirstList(dir, c.agents));
  const s = summarize(runs.map((r) => r.wall));
  report(BENCH, `${figure} (median)`, { value: s.median, unit: 'ms', max: c.maxMs, detail: spread(s) });
  // CPU time is what a busy machine inflates least: the server's own cost, whoever else runs.
  const cpu = summarize(runs.map((r) => r.cpu));
  report(BENCH, `  server CPU time until then, ${c.agents} agents (median)`, { value: cpu.median, unit: 'ms', detail: spread(cpu) });
  if (c.agents === 3000) {
    report(BENCH, `SDK Client.listTools() at ${c.agents} agents, client side included`, { value: await timeSdkListTools(dir), unit: 'ms' });
  }
}
