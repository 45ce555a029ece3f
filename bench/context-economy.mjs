/**
 * What being connected costs a client's model: per tool, the name, description and inputSchema
 * as JSON (what a client puts in its model's context), and the whole tools/list payload, in
 * tokens ≈ characters / 4. For the bundled agents and 300 generated ones, per-agent and single
 * mode (and full descriptions for comparison); single mode at 3,000 agents shows it does not grow.
 */
import { BUNDLED_AGENTS_DIR, createAgentSet } from './lib/agent-sets.mjs';
import { BENCH_CACHE_DIR } from './lib/floors.mjs';
import { spawnRaw } from './lib/raw-client.mjs';
import { report } from './lib/report.mjs';

const BENCH = 'context';
const tokens = (value) => JSON.stringify(value).length / 4;

async function measure(dir, args) {
  const server = spawnRaw(['--agents', dir, '--no-watch', ...args], { AGENTS_MCP_CACHE_DIR: BENCH_CACHE_DIR });
  try {
    await server.initialize();
    const { result } = await server.request('tools/list');
    const index = JSON.parse((await server.request('resources/read', { uri: 'agents://index' })).result.contents[0].text);
    const perTool = result.tools.map((t) => tokens({ name: t.name, description: t.description, inputSchema: t.inputSchema }));
    return {
      agents: index.agents.length,
      tools: result.tools.length,
      context: perTool.reduce((a, b) => a + b, 0),
      maxPerTool: Math.max(...perTool),
      payload: tokens(result),
    };
  } finally {
    await server.close();
  }
}

const sets = [
  { label: 'bundled', dir: BUNDLED_AGENTS_DIR },
  { label: 'generated', dir: createAgentSet(300) },
  { label: 'generated', dir: createAgentSet(3000), singleOnly: true },
];

for (const set of sets) {
  const modes = set.singleOnly
    ? [{ label: 'single', args: ['--expose', 'single'] }]
    : [
        { label: 'per-agent', args: [] },
        { label: 'per-agent, --tool-descriptions full', args: ['--tool-descriptions', 'full'] },
        { label: 'single', args: ['--expose', 'single'] },
      ];
  for (const mode of modes) {
    const m = await measure(set.dir, mode.args);
    const where = `${set.label} (${m.agents} agents), ${mode.label}`;
    const target = mode.label === 'per-agent' ? 60 : undefined;
    report(BENCH, `${where}: context tokens per agent (mean)`, {
      value: m.context / m.agents,
      unit: 'tok',
      max: target,
      detail: `${m.tools} tools, largest ${m.maxPerTool.toFixed(0)} tok`,
    });
    report(BENCH, `${where}: context tokens, all tools`, { value: m.context, unit: 'tok' });
    report(BENCH, `${where}: whole tools/list payload`, { value: m.payload, unit: 'tok' });
  }
}
