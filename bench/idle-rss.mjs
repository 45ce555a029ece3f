/**
 * Resident memory of an idle server with 300 agents: ours (default settings, second start)
 * against the floor (floors/list-server.mjs on the same folder), each after start-up, the
 * listings it offers (tools/list; ours also resources/list and prompts/list) and a few seconds
 * of quiet. Alternating, two runs each.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { createAgentSet } from './lib/agent-sets.mjs';
import { alternate } from './lib/alternate.mjs';
import { spawnSide } from './lib/floors.mjs';
import { reportRatio } from './lib/report.mjs';
import { rssMiB } from './lib/server.mjs';
import { median } from './lib/stats.mjs';

const BENCH = 'memory';
const SETTLE_MS = 3000;
const AGENTS = 300;

const dir = createAgentSet(AGENTS);
const idleRss = async (side) => {
  const server = spawnSide(side, dir);
  try {
    await server.initialize();
    const { result } = await server.request('tools/list');
    if (result.tools.length !== AGENTS) throw new Error(`${side}: expected ${AGENTS} tools, got ${result.tools.length}`);
    if (side === 'ours') {
      await server.request('resources/list');
      await server.request('prompts/list');
    }
    await sleep(SETTLE_MS);
    return rssMiB(server.pid);
  } finally {
    await server.close();
  }
};
await idleRss('ours'); // fills ours's parse cache
const runs = await alternate(['ours', 'floor'], 2, idleRss);
reportRatio(BENCH, `idle RSS, ${AGENTS} agents`, { ours: median(runs.ours), floor: median(runs.floor), unit: 'MiB', maxRatio: 1.0, detail: `after ${SETTLE_MS / 1000} s idle` });
