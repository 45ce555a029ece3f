/**
 * Spawn → first tools/list answered, over stdio: ours against the floor (floors/list-server.mjs,
 * a bare SDK server listing one tool per file of the same folder), alternating run by run, at 5
 * agents (the bundled ones) and 3,000 (generated). Ours runs with default settings (watching on)
 * and its parse cache warm ("second start"); a first start at 3,000 (cache off) is shown too.
 * `node -e ""` (spawn → exit) is the process floor under both.
 */
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { BUNDLED_AGENTS_DIR, createAgentSet } from './lib/agent-sets.mjs';
import { alternate } from './lib/alternate.mjs';
import { spawnSide } from './lib/floors.mjs';
import { report, reportRatio, spread } from './lib/report.mjs';
import { cpuMs } from './lib/server.mjs';
import { median, summarize } from './lib/stats.mjs';

const BENCH = 'startup';
const CASES = [
  { agents: 5, runs: 12, maxRatio: 1.0, label: '5 agents' },
  { agents: 3000, runs: 6, maxRatio: 0.6, label: '3,000 agents, second start' },
  { agents: 3000, runs: 3, cache: false, label: '3,000 agents, first start (no cache)' },
];

/** ms from spawn to the first tools/list answer, as a client does it: initialize, then list. */
async function timeFirstList(side, dir, expected, cache) {
  const server = spawnSide(side, dir, { cache });
  try {
    await server.initialize();
    const { result, receivedAt } = await server.request('tools/list');
    const cpu = cpuMs(server.pid);
    if (result.tools.length !== expected) throw new Error(`${side}: expected ${expected} tools, got ${result.tools.length}\n${server.stderr()}`);
    return { wall: receivedAt - server.spawnedAt, cpu };
  } finally {
    await server.close();
  }
}

/** ms from spawn to exit of `node -e ""`. */
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
for (let i = 0; i < 10; i++) bare.push(await timeBareNode());
const b = summarize(bare);
report(BENCH, 'process floor: spawn → exit of `node -e ""` (median)', { value: b.median, unit: 'ms', detail: spread(b) });

const sets = new Map();
for (const c of CASES) {
  if (!sets.has(c.agents)) sets.set(c.agents, c.agents === 5 ? BUNDLED_AGENTS_DIR : createAgentSet(c.agents));
  const dir = sets.get(c.agents);
  const cache = c.cache !== false;
  // Warm the page cache, and ours's parse cache for a second start.
  await timeFirstList('ours', dir, c.agents, cache);
  await timeFirstList('floor', dir, c.agents, cache);
  const runs = await alternate(['ours', 'floor'], c.runs, (side) => timeFirstList(side, dir, c.agents, cache));
  const wall = (side) => median(runs[side].map((r) => r.wall));
  const cpu = (side) => median(runs[side].map((r) => r.cpu));
  reportRatio(BENCH, `spawn → first tools/list, ${c.label} (median)`, {
    ours: wall('ours'),
    floor: wall('floor'),
    unit: 'ms',
    maxRatio: c.maxRatio,
    detail: `${c.runs} runs each, alternating`,
  });
  reportRatio(BENCH, `  server CPU until then, ${c.label} (median)`, { ours: cpu('ours'), floor: cpu('floor'), unit: 'ms' });
}
