import { mkdtemp, readFile, rm, stat, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadCatalog } from './catalog.js';
import { openParseCache, parseCacheFile, PARSE_CACHE_FORMAT } from './parse-cache.js';

let root: string;
let dir: string;
let cacheFile: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'agents-parse-cache-'));
  dir = path.join(root, 'agents');
  cacheFile = path.join(root, 'cache', 'heads.json');
  await import('node:fs/promises').then((fs) => fs.mkdir(dir));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const agent = (name: string, description: string, body = 'Body.'): string => `---\nname: ${name}\ndescription: ${description}\n---\n${body}\n`;

const FIXED_TIME_S = 1_700_000_000;

/** Write `file` with its mtime set to a whole second, so it can be put back exactly. */
async function writeStamped(file: string, text: string): Promise<void> {
  await writeFile(file, text);
  await utimes(file, FIXED_TIME_S, FIXED_TIME_S);
}

/** Rewrite `file` with text of the same length and the same mtime: same size, mtime and inode. */
async function rewriteKeepingStamp(file: string, text: string): Promise<void> {
  expect(Buffer.byteLength(text)).toBe((await stat(file)).size);
  await writeStamped(file, text);
}

async function loadThroughCache(fingerprint = 'build-1') {
  const cache = openParseCache({ file: cacheFile, fingerprint });
  const catalog = await loadCatalog([dir], { cache });
  cache.save();
  return catalog;
}

describe('parse cache', () => {
  it('takes a head from the cache for the same file version, without reading the file', async () => {
    const file = path.join(dir, 'a.md');
    await writeStamped(file, agent('a', 'First.'));
    await loadThroughCache();
    await rewriteKeepingStamp(file, agent('a', 'Other.'));
    // Only a cache hit can still say "First.": the file on disk says "Other.".
    expect((await loadThroughCache()).byToolName.get('a')?.description).toBe('First.');
    expect((await loadCatalog([dir])).byToolName.get('a')?.description).toBe('Other.');
  });

  it('parses a file again once its size or mtime changed', async () => {
    const file = path.join(dir, 'a.md');
    await writeFile(file, agent('a', 'First.'));
    await loadThroughCache();
    await writeFile(file, agent('a', 'Second, longer.'));
    expect((await loadThroughCache()).byToolName.get('a')?.description).toBe('Second, longer.');
  });

  it('caches skipped files with their reason and line', async () => {
    await writeFile(path.join(dir, 'bad.md'), '---\nname: bad\n---\nno description\n');
    const first = await loadThroughCache();
    const second = await loadThroughCache();
    expect(second.skipped).toEqual(first.skipped);
    expect(second.skipped).toEqual([expect.objectContaining({ broken: true, line: 2, reason: expect.stringMatching(/no description/) })]);
  });

  it('ignores a cache written by another build of the parser', async () => {
    const file = path.join(dir, 'a.md');
    await writeStamped(file, agent('a', 'First.'));
    await loadThroughCache('build-1');
    await rewriteKeepingStamp(file, agent('a', 'Other.'));
    expect((await loadThroughCache('build-2')).byToolName.get('a')?.description).toBe('Other.');
  });

  it('ignores a corrupt cache file and replaces it with a good one', async () => {
    await writeFile(path.join(dir, 'a.md'), agent('a', 'First.'));
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(cacheFile)));
    await writeFile(cacheFile, '{"format": "agents-mcp/parse-cache@1", "entries": [trunc');
    expect((await loadThroughCache()).byToolName.get('a')?.description).toBe('First.');
    expect(JSON.parse(await readFile(cacheFile, 'utf8'))).toMatchObject({ format: PARSE_CACHE_FORMAT, entries: [expect.any(Array)] });
  });

  it('never serves an entry that describes another file or has the wrong shape', async () => {
    const file = path.join(dir, 'a.md');
    await writeFile(file, agent('a', 'First.'));
    const info = await stat(file);
    const forged = (head: unknown) => JSON.stringify({ format: PARSE_CACHE_FORMAT, fingerprint: 'build-1', entries: [[file, info.size, info.mtimeMs, info.ino, head]] });
    await import('node:fs/promises').then((fs) => fs.mkdir(path.dirname(cacheFile)));
    const head = { name: 'a', toolName: 'a', title: 'a', description: 'Forged.', disallowedTools: [], model: 'inherit', extra: {}, warnings: [] };
    await writeFile(cacheFile, forged({ kind: 'agent', head: { ...head, file: path.join(dir, 'elsewhere.md') } }));
    expect((await loadCatalog([dir], { cache: openParseCache({ file: cacheFile, fingerprint: 'build-1' }) })).byToolName.get('a')?.description).toBe('First.');
    await writeFile(cacheFile, forged({ kind: 'agent', head: { ...head, file, tools: 'Bash' } }));
    expect((await loadCatalog([dir], { cache: openParseCache({ file: cacheFile, fingerprint: 'build-1' }) })).byToolName.get('a')?.description).toBe('First.');
  });

  it('keeps front matter that JSON cannot carry (a YAML date) out of the cache', async () => {
    const file = path.join(dir, 'a.md');
    await writeFile(file, '---\nname: a\ndescription: First.\ncreated: 2024-01-02\n---\nBody.\n');
    await loadThroughCache();
    const again = await loadThroughCache();
    expect(again.byToolName.get('a')?.extra.created).toBeInstanceOf(Date);
  });

  it('writes only the files still there', async () => {
    await writeFile(path.join(dir, 'a.md'), agent('a', 'A.'));
    await writeFile(path.join(dir, 'b.md'), agent('b', 'B.'));
    await loadThroughCache();
    await rm(path.join(dir, 'b.md'));
    await loadThroughCache();
    const written = JSON.parse(await readFile(cacheFile, 'utf8')) as { entries: unknown[][] };
    expect(written.entries.map((e) => path.basename(String(e[0])))).toEqual(['a.md']);
  });
});

describe('parseCacheFile', () => {
  const roots = ['/srv/agents'];
  it('lives in AGENTS_MCP_CACHE_DIR, else XDG_CACHE_HOME/agents-mcp, else ~/.cache/agents-mcp', () => {
    expect(parseCacheFile({ roots, env: { AGENTS_MCP_CACHE_DIR: '/tmp/c', XDG_CACHE_HOME: '/x' }, homeDir: '/home/u' })).toMatch(/^\/tmp\/c\/heads-[0-9a-f]{16}\.json$/);
    expect(parseCacheFile({ roots, env: { XDG_CACHE_HOME: '/x' }, homeDir: '/home/u' })).toMatch(/^\/x\/agents-mcp\//);
    expect(parseCacheFile({ roots, env: {}, homeDir: '/home/u' })).toMatch(/^\/home\/u\/\.cache\/agents-mcp\//);
  });

  it('is one file per list of folders, and none when AGENTS_MCP_PARSE_CACHE=off', () => {
    const env = { AGENTS_MCP_CACHE_DIR: '/tmp/c' };
    expect(parseCacheFile({ roots, env, homeDir: '/h' })).not.toBe(parseCacheFile({ roots: ['/srv/other'], env, homeDir: '/h' }));
    expect(parseCacheFile({ roots, env: { ...env, AGENTS_MCP_PARSE_CACHE: 'off' }, homeDir: '/h' })).toBeUndefined();
  });
});
