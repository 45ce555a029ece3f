/**
 * Every benchmark, one after another (each in its own process, so none disturbs another),
 * after a header naming the machine. Each prints one line per figure, most as ours against a
 * floor measured in the same run (bench/floors/, alternating run by run):
 *   <bench> | <figure> | ours X | floor Y | ratio R | goal | ok / MISS / info
 * and a summary follows. Runs at the priority it was started with (no nice). `npm run bench` builds first; `node bench/<name>.mjs` runs one alone.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './lib/build.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const BENCHES = ['context-economy', 'startup', 'list-latency', 'list-legs', 'idle-rss', 'turn-overhead', 'http-concurrency'];

function cpuModel() {
  try {
    return /model name\s*:\s*(.*)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  } catch {
    return os.cpus()[0]?.model ?? 'unknown';
  }
}

ensureBuilt();
const load = os.loadavg().map((l) => l.toFixed(2)).join(' ');
console.log(`# agents-mcp benchmarks, ${new Date().toISOString()}`);
console.log(`# ${os.cpus().length} cores, ${cpuModel()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, Node ${process.version}, ${os.platform()} ${os.release()}`);
console.log(`# load average at start: ${load} (other work on the machine inflates wall times; the ratios are measured side by side)`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'agents-mcp-bench-results-'));
const results = path.join(dir, 'results.jsonl');
let failed = 0;
const started = Date.now();
for (const name of BENCHES) {
  const run = spawnSync(process.execPath, [path.join(here, `${name}.mjs`)], {
    stdio: 'inherit',
    env: { ...process.env, BENCH_RESULTS: results },
  });
  if (run.status !== 0) {
    failed++;
    console.log(`${name} | failed (exit ${run.status ?? run.signal}) | | | FAILED`);
  }
}
const figures = readFileSync(results, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
rmSync(dir, { recursive: true, force: true });
const misses = figures.filter((f) => f.verdict === 'MISS');
console.log(
  `# ${figures.length} figures in ${((Date.now() - started) / 1000).toFixed(0)} s: ` +
    `${figures.filter((f) => f.verdict === 'ok').length} on target, ${misses.length} missed, ` +
    `${figures.filter((f) => f.verdict === 'skipped').length} skipped, ${failed} benchmark(s) failed; load average now ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`,
);
for (const m of misses) console.log(`# MISS ${m.bench}: ${m.figure}`);
process.exitCode = failed > 0 ? 1 : 0;
