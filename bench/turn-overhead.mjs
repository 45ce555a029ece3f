/**
 * Server time per model turn, the model excluded. The model is the fake Messages API with no
 * latency; for every request it records when the request arrived and when its response had
 * been sent, so the server's share of a call is its wall time minus the fake's time. Per turn:
 * the gap from the previous response (or the call) to the next request, the last turn also
 * carrying the gap to the call's result. Runs of 1, 10 and 50 turns, text-only (turns chained by
 * max_tokens continuations) and with one Read or Grep call per turn (alternating).
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { importFake } from './lib/build.mjs';
import { BUNDLED_AGENTS_DIR } from './lib/agent-sets.mjs';
import { BENCH_CACHE_DIR } from './lib/floors.mjs';
import { spawnRaw } from './lib/raw-client.mjs';
import { report, spread } from './lib/report.mjs';
import { cpuMs } from './lib/server.mjs';
import { summarize } from './lib/stats.mjs';

const BENCH = 'turn';
const RUNS = [
  { turns: 1, calls: 200 },
  { turns: 10, calls: 30 },
  { turns: 50, calls: 8 },
];
const API_KEY = 'bench-key-0123456789';

const { startFakeAnthropic, reply, text, toolUse } = await importFake();

const workspace = mkdtempSync(path.join(os.tmpdir(), 'agents-mcp-bench-ws-'));
process.once('exit', () => rmSync(workspace, { recursive: true, force: true }));
mkdirSync(path.join(workspace, 'src'));
const lines = Array.from({ length: 200 }, (_, i) => `line ${i}: ${i % 17 === 0 ? 'beta' : 'alpha'} ${'x'.repeat(40)}`);
writeFileSync(path.join(workspace, 'notes.txt'), `${lines.join('\n')}\n`);
for (let i = 0; i < 20; i++) writeFileSync(path.join(workspace, 'src', `m${i}.ts`), `export const v${i} = '${i % 3 ? 'alpha' : 'beta'}';\n`);

const fake = await startFakeAnthropic({ apiKey: API_KEY });
const server = spawnRaw(['--agents', BUNDLED_AGENTS_DIR, '--workspace', workspace, '--max-turns', '60', '--no-watch'], {
  AGENTS_MCP_CACHE_DIR: BENCH_CACHE_DIR,
  ANTHROPIC_API_KEY: API_KEY,
  ANTHROPIC_BASE_URL: fake.url,
});

/** The model's move for turn `k` (0-based) of a run of `turns`. */
function step(turns, withTools) {
  return (request) => {
    const k = request.body.messages.filter((m) => m.role === 'assistant').length;
    if (k >= turns - 1) return reply([text('Done.')]);
    if (!withTools) return reply([text(`Part ${k} of a long answer. `)], { stop_reason: 'max_tokens' });
    return k % 2 === 0
      ? reply([toolUse('Read', { file_path: path.join(workspace, 'notes.txt'), limit: 50 })])
      : reply([toolUse('Grep', { pattern: 'beta', path: workspace, output_mode: 'content' })]);
  };
}

/** One call; returns its per-turn server times (ms) and, for tool runs, which tool each turn followed. */
async function timedCall(turns, withTools) {
  const first = fake.requests.length;
  fake.script(...Array.from({ length: turns }, () => step(turns, withTools)));
  const sentAt = performance.now();
  const { result, receivedAt } = await server.request('tools/call', { name: 'llm-app-engineer', arguments: { prompt: 'Go.' } });
  if (result.isError || result.structuredContent?.turns !== turns) throw new Error(`bad call result: ${JSON.stringify(result).slice(0, 500)}`);
  fake.assertComplete();
  const requests = fake.requests.slice(first);
  const perTurn = [];
  const after = [];
  let previousEnd = sentAt;
  for (const [k, r] of requests.entries()) {
    perTurn.push(r.receivedAt - previousEnd);
    after.push(k === 0 ? 'call' : withTools ? (k % 2 === 1 ? 'Read' : 'Grep') : 'text');
    previousEnd = r.respondedAt;
  }
  perTurn[perTurn.length - 1] += receivedAt - previousEnd;
  return { perTurn, after };
}

try {
  await server.initialize();
  for (const withTools of [false, true]) {
    for (let i = 0; i < 10; i++) await timedCall(3, withTools); // warm up: first-call loading, JIT
    for (const { turns, calls } of RUNS) {
      const samples = [];
      const byTool = { Read: [], Grep: [] };
      const cpuBefore = cpuMs(server.pid);
      for (let c = 0; c < calls; c++) {
        const { perTurn, after } = await timedCall(turns, withTools);
        samples.push(...perTurn);
        perTurn.forEach((ms, k) => byTool[after[k]]?.push(ms));
      }
      const cpuPerTurn = (cpuMs(server.pid) - cpuBefore) / samples.length;
      const s = summarize(samples);
      const kind = withTools ? 'a Read/Grep call per turn' : 'text-only';
      // CPU is what other load on the machine inflates least; the wall-time gaps below include waiting for a core.
      report(BENCH, `server CPU per turn, ${turns}-turn runs, ${kind} (mean)`, { value: cpuPerTurn, unit: 'ms', max: 2, detail: `${samples.length} turns` });
      report(BENCH, `server time per turn, ${turns}-turn runs, ${kind} (median)`, { value: s.median, unit: 'ms', max: 2, detail: spread(s) });
      report(BENCH, `server time per turn, ${turns}-turn runs, ${kind} (p99)`, { value: s.p99, unit: 'ms' });
      if (withTools && turns === 50) {
        for (const tool of ['Read', 'Grep']) {
          const t = summarize(byTool[tool]);
          report(BENCH, `  of which turns after a ${tool} call (median)`, { value: t.median, unit: 'ms', detail: spread(t) });
        }
      }
    }
  }
} finally {
  await server.close();
  await fake.close();
}
