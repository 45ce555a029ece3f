/**
 * Request latency with many agents, over stdio: tools/list, resources/read (one agent's file,
 * and the agents://index document), and the dispatch of a tools/call, at 5, 300 and 3,000
 * agents. Dispatch is measured without credentials, so a call goes through lookup, input
 * validation, model and toolbox resolution and the result, and stops where the model would start.
 */
import { performance } from 'node:perf_hooks';
import { BUNDLED_AGENTS_DIR, corpusProblem, createAgentSet } from './lib/agent-sets.mjs';
import { spawnRaw } from './lib/raw-client.mjs';
import { report, skipped, spread } from './lib/report.mjs';
import { summarize } from './lib/stats.mjs';

const BENCH = 'latency';
const SIZES = [5, 300, 3000];

/** Latency samples (ms) of `runs` sequential requests built by `make(i)`. */
async function sample(server, runs, make) {
  const samples = [];
  for (let i = 0; i < runs; i++) {
    const { method, params, check } = make(i);
    const sentAt = performance.now();
    const { result, receivedAt } = await server.request(method, params);
    samples.push(receivedAt - sentAt);
    check?.(result);
  }
  return samples;
}

const dispatch = {};
for (const agents of SIZES) {
  if (agents > 5 && corpusProblem()) {
    skipped(BENCH, `${agents} agents`, corpusProblem());
    continue;
  }
  const dir = agents === 5 ? BUNDLED_AGENTS_DIR : createAgentSet(agents);
  // No credentials: a call is dispatched in full and refused where the model would be asked.
  const server = spawnRaw(['--agents', dir, '--no-watch'], { ANTHROPIC_API_KEY: '', ANTHROPIC_AUTH_TOKEN: '' });
  try {
    await server.initialize();
    const { result, bytes } = await server.request('tools/list');
    const names = result.tools.map((t) => t.name);
    if (names.length !== agents) throw new Error(`expected ${agents} tools, got ${names.length}`);
    const pick = (i) => names[(i * 7919) % names.length];

    if (agents > 5) {
      await sample(server, 5, () => ({ method: 'tools/list' }));
      const list = summarize(await sample(server, agents >= 3000 ? 40 : 100, () => ({ method: 'tools/list' })));
      report(BENCH, `tools/list, ${agents} agents (median; ${(bytes / 1024).toFixed(0)} KiB)`, {
        value: list.median,
        unit: 'ms',
        max: agents === 3000 ? 20 : undefined,
        detail: spread(list),
      });

      const read = summarize(
        await sample(server, 300, (i) => ({
          method: 'resources/read',
          params: { uri: `agent://${pick(i)}` },
          check: (r) => {
            if (!r.contents?.[0]?.text) throw new Error('empty resource');
          },
        })),
      );
      report(BENCH, `resources/read agent://<name>, ${agents} agents (median)`, {
        value: read.median,
        unit: 'ms',
        max: agents === 3000 ? 5 : undefined,
        detail: spread(read),
      });

      const index = summarize(await sample(server, 20, () => ({ method: 'resources/read', params: { uri: 'agents://index' } })));
      report(BENCH, `resources/read agents://index, ${agents} agents (median)`, { value: index.median, unit: 'ms', detail: spread(index) });
    }

    const call = (i) => ({
      method: 'tools/call',
      params: { name: pick(i), arguments: { prompt: 'Say hello.' } },
      check: (r) => {
        if (!r.isError || !JSON.stringify(r.content).includes('ANTHROPIC_API_KEY')) throw new Error(`unexpected call result ${JSON.stringify(r)}`);
      },
    });
    await sample(server, 20, call);
    const d = summarize(await sample(server, 300, call));
    dispatch[agents] = d.median;
    report(BENCH, `tools/call dispatch (no model), ${agents} agents (median)`, { value: d.median, unit: 'ms', detail: spread(d) });
  } finally {
    await server.close();
  }
}
if (dispatch[5] !== undefined && dispatch[3000] !== undefined) {
  report(BENCH, 'tools/call dispatch, 3,000 agents ÷ 5 agents', { value: dispatch[3000] / dispatch[5], unit: '×', max: 1.5 });
}
