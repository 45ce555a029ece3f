/**
 * Request latency over stdio. tools/list at 3,000 agents, ours against the floor
 * (floors/list-server.mjs on the same folder), requests alternating between the two servers;
 * then ours alone: resources/read (one agent's file, first read and later; agents://index) and
 * the dispatch of a tools/call at 5 and 3,000 agents. Dispatch is measured without credentials,
 * so a call goes through lookup, input validation, model and toolbox resolution and the result,
 * and stops where the model would start.
 */
import { performance } from 'node:perf_hooks';
import { BUNDLED_AGENTS_DIR, createAgentSet } from './lib/agent-sets.mjs';
import { alternate } from './lib/alternate.mjs';
import { spawnSide } from './lib/floors.mjs';
import { report, reportRatio, spread } from './lib/report.mjs';
import { cpuMs } from './lib/server.mjs';
import { median, summarize } from './lib/stats.mjs';

const BENCH = 'latency';
const LIST_RUNS = 30;

/** ms from sending a request to its answer's last byte. */
async function timed(server, method, params) {
  const sentAt = performance.now();
  const answer = await server.request(method, params);
  return { ms: answer.receivedAt - sentAt, ...answer };
}

/** Latency samples (ms) of `runs` sequential requests built by `make(i)`. */
async function sample(server, runs, make) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const { method, params, check } = make(i);
    const { ms, result } = await timed(server, method, params);
    samples.push(ms);
    check?.(result);
  }
  return samples;
}

const noCredentials = { ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' };
const big = createAgentSet(3000);
const servers = { ours: spawnSide('ours', big, { args: ['--no-watch'], env: noCredentials }), floor: spawnSide('floor', big) };
const dispatch = {};
try {
  let bytes = {};
  for (const [side, server] of Object.entries(servers)) {
    await server.initialize();
    const first = await server.request('tools/list');
    if (first.result.tools.length !== 3000) throw new Error(`${side}: expected 3000 tools, got ${first.result.tools.length}`);
    bytes[side] = first.bytes;
    for (let i = 0; i < 3; i++) await server.request('tools/list'); // warm up
  }
  const cpuBefore = { ours: cpuMs(servers.ours.pid), floor: cpuMs(servers.floor.pid) };
  const lists = await alternate(['ours', 'floor'], LIST_RUNS, async (side) => (await timed(servers[side], 'tools/list')).ms);
  // Server side: the CPU each server spent per tools/list (the wall time below adds the pipe and the client's JSON.parse).
  const cpuPerList = (side) => (cpuMs(servers[side].pid) - cpuBefore[side]) / LIST_RUNS;
  reportRatio(BENCH, 'tools/list, 3,000 agents, server CPU per request', {
    ours: cpuPerList('ours'),
    floor: cpuPerList('floor'),
    unit: 'ms',
    maxRatio: 0.5,
    maxValue: 20,
    detail: `${(bytes.ours / 1024).toFixed(0)} vs ${(bytes.floor / 1024).toFixed(0)} KiB, ${LIST_RUNS} each, alternating`,
  });
  reportRatio(BENCH, 'tools/list, 3,000 agents, request → last byte at the client (median)', { ours: median(lists.ours), floor: median(lists.floor), unit: 'ms' });
  await servers.floor.close();

  const ours = servers.ours;
  const names = (await ours.request('tools/list')).result.tools.map((t) => t.name);
  const pick = (i) => names[(i * 7919) % names.length];
  const readAgent = (i) => ({
    method: 'resources/read',
    params: { uri: `agent://${pick(i)}` },
    check: (r) => {
      if (!r.contents?.[0]?.text) throw new Error('empty resource');
    },
  });
  // The first read of an agent reads its file (the body is read on first use); later reads do not.
  const firstRead = summarize(await sample(ours, 200, readAgent));
  report(BENCH, 'resources/read agent://<name>, 3,000 agents, first read of each (median)', { value: firstRead.median, unit: 'ms', max: 5, detail: spread(firstRead) });
  const read = summarize(await sample(ours, 200, readAgent));
  report(BENCH, 'resources/read agent://<name>, 3,000 agents, read again (median)', { value: read.median, unit: 'ms', max: 5, detail: spread(read) });
  const index = summarize(await sample(ours, 10, () => ({ method: 'resources/read', params: { uri: 'agents://index' } })));
  report(BENCH, 'resources/read agents://index, 3,000 agents (median)', { value: index.median, unit: 'ms', detail: spread(index) });
  dispatch[3000] = await timeDispatch(ours, pick);
} finally {
  await Promise.allSettled(Object.values(servers).map((s) => s.close()));
}

const small = spawnSide('ours', BUNDLED_AGENTS_DIR, { args: ['--no-watch'], env: noCredentials });
try {
  await small.initialize();
  const names = (await small.request('tools/list')).result.tools.map((t) => t.name);
  dispatch[5] = await timeDispatch(small, (i) => names[i % names.length]);
} finally {
  await small.close();
}
report(BENCH, 'tools/call dispatch (no model), 5 agents (median)', { value: dispatch[5], unit: 'ms' });
report(BENCH, 'tools/call dispatch (no model), 3,000 agents (median)', { value: dispatch[3000], unit: 'ms' });
report(BENCH, 'tools/call dispatch, 3,000 agents ÷ 5 agents', { value: dispatch[3000] / dispatch[5], unit: '×', max: 1.5 });

/** Median ms of a tools/call refused where the model would start (no credentials). */
async function timeDispatch(server, pick) {
  const call = (i) => ({
    method: 'tools/call',
    params: { name: pick(i), arguments: { prompt: 'Say hello.' } },
    check: (r) => {
      if (!r.isError || !JSON.stringify(r.content).includes('ANTHROPIC_API_KEY')) throw new Error(`unexpected call result ${JSON.stringify(r).slice(0, 300)}`);
    },
  });
  await sample(server, 20, call);
  return median(await sample(server, 200, call));
}
