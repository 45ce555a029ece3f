/**
 * Resident memory of an idle server with 300 agents (and 3,000 for reference), default
 * settings: after start-up and one tools/list, resources/list and prompts/list, and a few
 * seconds of quiet.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { corpusProblem, createAgentSet } from './lib/agent-sets.mjs';
import { spawnRaw } from './lib/raw-client.mjs';
import { report, skipped } from './lib/report.mjs';
import { rssMiB } from './lib/server.mjs';

const BENCH = 'memory';
const SETTLE_MS = 3000;

for (const { agents, maxMiB } of [{ agents: 300, maxMiB: 90 }, { agents: 3000 }]) {
  const figure = `idle RSS, ${agents} agents`;
  if (corpusProblem()) {
    skipped(BENCH, figure, corpusProblem());
    continue;
  }
  const server = spawnRaw(['--agents', createAgentSet(agents)]);
  try {
    await server.initialize();
    const { result } = await server.request('tools/list');
    if (result.tools.length !== agents) throw new Error(`expected ${agents} tools, got ${result.tools.length}`);
    await server.request('resources/list');
    await server.request('prompts/list');
    await sleep(SETTLE_MS);
    report(BENCH, figure, { value: rssMiB(server.pid), unit: 'MiB', max: maxMiB, detail: `after ${SETTLE_MS / 1000} s idle` });
  } finally {
    await server.close();
  }
}
