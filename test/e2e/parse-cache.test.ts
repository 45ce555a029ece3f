/**
 * The built server keeps parsed agent heads in its parse cache across starts: a second start with
 * an unchanged file takes the head from the cache (shown by a same-size, same-mtime rewrite that
 * only a cache hit can miss), and AGENTS_MCP_PARSE_CACHE=off reads the file again.
 */
import { mkdtemp, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnStdioServer } from '../helpers/stdio-server.js';

let root: string;
let agents: string;
let cacheDir: string;
const FIXED_TIME_S = 1_700_000_000;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'e2e-parse-cache-'));
  agents = path.join(root, 'agents');
  cacheDir = path.join(root, 'cache');
  await import('node:fs/promises').then((fs) => fs.mkdir(agents));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

async function describeTool(env: Record<string, string>): Promise<string | undefined> {
  const server = await spawnStdioServer(['--agents', agents, '--no-watch'], { AGENTS_MCP_CACHE_DIR: cacheDir, ...env });
  try {
    return (await server.client.listTools()).tools.find((t) => t.name === 'cached')?.description;
  } finally {
    // Closing stdin ends the server, which writes its cache on the way out.
    await server.close();
  }
}

describe('parse cache across starts', () => {
  it('serves a second start from the cache, and reads the file when the cache is off', async () => {
    const file = path.join(agents, 'cached.md');
    await writeFile(file, '---\nname: cached\ndescription: First text.\n---\nBody.\n');
    await utimes(file, FIXED_TIME_S, FIXED_TIME_S);
    expect(await describeTool({})).toBe('First text.');

    const size = (await stat(file)).size;
    await writeFile(file, '---\nname: cached\ndescription: Other text.\n---\nBody.\n');
    await utimes(file, FIXED_TIME_S, FIXED_TIME_S);
    expect((await stat(file)).size).toBe(size);

    expect(await describeTool({})).toBe('First text.');
    expect(await describeTool({ AGENTS_MCP_PARSE_CACHE: 'off' })).toBe('Other text.');
  });
});
