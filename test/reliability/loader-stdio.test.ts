/**
 * The loader campaign through the built server: it starts (watching) on a folder of good agents
 * and a folder of hostile entries (a FIFO among them: a blocking read would hang the start),
 * serves every good agent, explains every skipped file in agents://index, and keeps doing so
 * while hostile files arrive and the hostile folder is deleted.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { reply, startFakeAnthropic, text, type FakeAnthropic } from '../fake-anthropic/server.js';
import { spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';
import { aliasBomb, goodAgent } from './agent-file-mutations.js';
import { writeGoodFolder, writeHostileFolder, type HostileEntry } from './hostile-folder.js';
import { isRunning } from './proc.js';

const KEY = 'k-reliability-loader-stdio';

let root: string;
let goodDir: string;
let hostileDir: string;
let goodNames: string[];
let entries: HostileEntry[];
let fake: FakeAnthropic;
let server: SpawnedServer;
let listChanges: Array<() => void> = [];

interface Index {
  agents: Array<{ tool_name: string; source: string }>;
  skipped: Array<{ file: string; reason: string }>;
}

async function readIndex(): Promise<Index> {
  const { contents } = await server.client.readResource({ uri: 'agents://index' });
  const first = contents[0];
  return JSON.parse(first && 'text' in first ? first.text : '{}') as Index;
}

async function toolNames(): Promise<string[]> {
  return (await server.client.listTools()).tools.map((t) => t.name);
}

/** Resolves at the next tools/list_changed notification. */
function nextListChange(): Promise<void> {
  return new Promise((resolve) => listChanges.push(resolve));
}

/** Resolves once `check` holds, checking again at each list_changed (a burst may take several). */
async function until(check: () => Promise<boolean>): Promise<void> {
  for (;;) {
    // Listen before looking, so a change between the look and the wait is not missed.
    const next = nextListChange();
    if (await check()) return;
    await next;
  }
}

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'reliability-loader-stdio-'));
  goodDir = path.join(root, 'good');
  hostileDir = path.join(root, 'hostile');
  goodNames = await writeGoodFolder(goodDir, 20);
  entries = await writeHostileFolder(hostileDir, { fuzzedCount: 100, seed: 20_260_903 });
  fake = await startFakeAnthropic({ apiKey: KEY });
  server = await spawnStdioServer(['--agents', goodDir, '--agents', hostileDir, '--workspace', root], { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url });
  server.client.setNotificationHandler(ToolListChangedNotificationSchema, () => {
    const waiting = listChanges;
    listChanges = [];
    for (const resolve of waiting) resolve();
  });
}, 60_000);

afterAll(async () => {
  await server?.close();
  await fake?.close();
  await rm(root, { recursive: true, force: true });
});

describe('the built server over hostile agent folders', () => {
  it('serves every good agent, and lists every skipped hostile entry with its reason', async () => {
    const names = await toolNames();
    expect(names).toEqual(expect.arrayContaining(goodNames));
    const index = await readIndex();
    const skipped = new Map(index.skipped.map((s) => [s.file, s.reason]));
    for (const { file, outcome } of entries) if (outcome instanceof RegExp) expect(skipped.get(file), file).toMatch(outcome);
    for (const name of goodNames) expect(index.agents.find((a) => a.tool_name === name)?.source.startsWith(goodDir)).toBe(true);
  });

  it('runs a good agent', async () => {
    fake.script(reply([text('still working')]));
    const result = (await server.client.callTool({ name: goodNames[0] ?? '', arguments: { prompt: 'hi' } })) as CallToolResult;
    expect(result.content).toEqual([{ type: 'text', text: 'still working' }]);
    fake.assertComplete();
  });

  it('keeps serving while an alias bomb and a good agent arrive, and after the hostile folder is deleted', async () => {
    await writeFile(path.join(hostileDir, 'late-laughs.md'), `---\nname: late-laughs\ndescription: d\n${aliasBomb(9, 9)}\nx: *lol9\n---\n`);
    await writeFile(path.join(hostileDir, 'newcomer.md'), goodAgent('newcomer'));
    await until(async () => (await toolNames()).includes('newcomer') && (await readIndex()).skipped.some((s) => s.file.endsWith('late-laughs.md')));
    const laughs = (await readIndex()).skipped.find((s) => s.file.endsWith('late-laughs.md'));
    expect(laughs?.reason).toMatch(/YAML aliases/);

    await rm(hostileDir, { recursive: true, force: true });
    await until(async () => !(await toolNames()).includes('newcomer'));
    expect((await toolNames()).sort()).toEqual(goodNames);
    expect((await readIndex()).skipped).toEqual([expect.objectContaining({ file: hostileDir, reason: 'folder not found' })]);
    expect(isRunning(server.pid)).toBe(true);
  });
});
