/**
 * Soak: the built server over stdio, 2,000 sequential calls (every 10th with a Grep, which
 * spawns ripgrep) and then two rounds of 200 concurrent ones against the fake model with zero latency. The
 * server runs with a small V8 heap cap, so a leak of a few KiB per call would exhaust it; from
 * outside we check RSS growth, open file descriptors and child processes through /proc; in
 * process, that runs leave no timers, sockets or child processes behind.
 */
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { createAnthropicClient } from '../../src/run/anthropic.js';
import { runLoop } from '../../src/run/loop.js';
import { createFileTools } from '../../src/tools/files/registry.js';
import { reply, startFakeAnthropic, text, toolUse, type FakeAnthropic } from '../fake-anthropic/server.js';
import { spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';
import { goodAgent } from './agent-file-mutations.js';
import { childPids, isRunning, openFdCount, rssKiB } from './proc.js';
import { TreeBudget } from '../../src/run/run-budget.js';

const KEY = 'k-reliability-soak-0123456789';
const WARM_UP = 100;
const SEQUENTIAL = 2_000;
const CONCURRENT = 200;
/** Every Nth sequential call makes one Grep call (a ripgrep child process) before answering. */
const GREP_EVERY = 10;
/** The server's V8 old-space cap: idle it uses well under this; a steady leak would exhaust it. */
const HEAP_CAP_MIB = 64;
/** Generous on purpose: RSS moves with the allocator; a leak shows as far more (or as an OOM). */
const MAX_RSS_GROWTH_MIB = 64;
/** Runs of the loop in this process, for what /proc cannot show: timers. */
const IN_PROCESS_RUNS = 300;

let fake: FakeAnthropic;
let ws: string;
let server: SpawnedServer;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  ws = await realpath(await mkdtemp(path.join(os.tmpdir(), 'reliability-soak-')));
  await writeFile(path.join(ws, 'soak.md'), goodAgent('soak'));
  await writeFile(path.join(ws, 'haystack.txt'), 'hay\nneedle\nhay\n');
  server = await spawnStdioServer(['--agents', ws, '--workspace', ws, '--no-watch', '--log-level', 'warn'], {
    ANTHROPIC_API_KEY: KEY,
    ANTHROPIC_BASE_URL: fake.url,
    NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MIB}`,
  });
});
afterAll(async () => {
  await server?.close();
  await fake?.close();
  await rm(ws, { recursive: true, force: true });
});

async function callOk(prompt: string): Promise<void> {
  const result = (await server.client.callTool({ name: 'soak', arguments: { prompt } })) as CallToolResult;
  if (result.isError) throw new Error(`call failed: ${JSON.stringify(result.content)}`);
}

/** Script one sequential call: a plain answer, or a Grep then an answer. */
function scriptSequential(i: number): void {
  if (i % GREP_EVERY === 0) fake.script(reply([toolUse('Grep', { pattern: 'needle', output_mode: 'content' })]), reply([text(`found ${i}`)]));
  else fake.script(reply([text(`answer ${i}`)]));
}

interface Snapshot {
  rssMiB: number;
  fds: number;
}
function snapshot(): Snapshot {
  return { rssMiB: rssKiB(server.pid) / 1024, fds: openFdCount(server.pid) };
}

describe('soak over stdio', () => {
  it(`${SEQUENTIAL} sequential and 2 × ${CONCURRENT} concurrent calls: bounded memory, no leaked files or processes`, async () => {
    for (let i = 0; i < WARM_UP; i++) {
      scriptSequential(i);
      await callOk(`warm-up ${i}`);
    }
    const before = snapshot();
    // Long-lived helpers the server starts once (e.g. the Bash sandbox's proxies) are not leaks.
    const standing = new Set(childPids(server.pid));

    let halfway = before;
    for (let i = 0; i < SEQUENTIAL; i++) {
      scriptSequential(i);
      await callOk(`call ${i}`);
      if (i === SEQUENTIAL / 2) halfway = snapshot();
    }
    const afterSequential = snapshot();

    const concurrentRound = async (round: number): Promise<Snapshot> => {
      fake.script(...Array.from({ length: CONCURRENT }, (_, i) => reply([text(`concurrent ${round}.${i}`)])));
      await Promise.all(Array.from({ length: CONCURRENT }, (_, i) => callOk(`concurrent ${round}.${i}`)));
      return snapshot();
    };
    const afterConcurrent = await concurrentRound(1);
    // The HTTP keep-alive pool now holds up to one socket per concurrent call; a second round
    // must reuse them rather than add more.
    const afterSecondRound = await concurrentRound(2);

    fake.assertComplete();
    const growth = afterSecondRound.rssMiB - before.rssMiB;
    console.info(
      `soak: ${SEQUENTIAL} sequential (${SEQUENTIAL / GREP_EVERY} with a Grep) + 2 × ${CONCURRENT} concurrent calls, heap cap ${HEAP_CAP_MIB} MiB; ` +
        `RSS ${before.rssMiB.toFixed(1)} → ${halfway.rssMiB.toFixed(1)} → ${afterSequential.rssMiB.toFixed(1)} → ${afterConcurrent.rssMiB.toFixed(1)} → ${afterSecondRound.rssMiB.toFixed(1)} MiB (growth ${growth.toFixed(1)} MiB); ` +
        `fds ${before.fds} → ${halfway.fds} → ${afterSequential.fds} → ${afterConcurrent.fds} → ${afterSecondRound.fds}; children ${childPids(server.pid).length}`,
    );
    expect(isRunning(server.pid)).toBe(true);
    expect(growth).toBeLessThan(MAX_RSS_GROWTH_MIB);
    // Every ripgrep has exited and been reaped; no socket or pipe was left open per call.
    expect(childPids(server.pid).filter((pid) => !standing.has(pid))).toEqual([]);
    expect(afterSequential.fds).toBeLessThanOrEqual(before.fds + 4);
    expect(afterConcurrent.fds).toBeLessThanOrEqual(before.fds + CONCURRENT + 4);
    expect(afterSecondRound.fds).toBeLessThanOrEqual(afterConcurrent.fds + 4);
    expect((await server.client.listTools()).tools.map((t) => t.name)).toEqual(['soak']);
  }, 240_000);
});

describe('soak in process', () => {
  it(`${IN_PROCESS_RUNS} runs leave no timer, socket or child process of theirs behind`, async () => {
    const client = createAnthropicClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 });
    const runOnce = async (i: number): Promise<void> => {
      scriptSequential(i);
      const result = await runLoop({
        agentName: 'soak',
        system: 'You soak.',
        prompt: `run ${i}`,
        model: 'claude-sonnet-5-5',
        client,
        tools: createFileTools(),
        roots: [ws],
        budget: new TreeBudget({ maxTurns: 3 }),
        maxTokens: 100,
        signal: new AbortController().signal,
      });
      expect(result.stopReason).toBe('end_turn');
    };
    // Warm up the HTTP pool, then count what is alive in this process.
    for (let i = 0; i < GREP_EVERY; i++) await runOnce(i + 1);
    const before = countResources();
    for (let i = 0; i < IN_PROCESS_RUNS; i++) await runOnce(i);
    const after = countResources();
    fake.assertComplete();
    console.info(`soak in process: ${IN_PROCESS_RUNS} runs; active resources before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
    expect(after['Timeout'] ?? 0).toBeLessThanOrEqual((before['Timeout'] ?? 0) + 1);
    expect(after['TCPSocketWrap'] ?? 0).toBeLessThanOrEqual((before['TCPSocketWrap'] ?? 0) + 1);
    // The one child process is the stdio server of the test above; no ripgrep is left.
    expect(after['ProcessWrap'] ?? 0).toBe(before['ProcessWrap'] ?? 0);
    expect(childPids(process.pid).filter((pid) => pid !== server.pid)).toEqual([]);
  });
});

/** This process's active handles and requests by type (Timeout, TCPSocketWrap, ProcessWrap, …). */
function countResources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const type of process.getActiveResourcesInfo()) counts[type] = (counts[type] ?? 0) + 1;
  return counts;
}
