import { mkdtemp, mkdir, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAgentFile, MAX_AGENT_FILE_BYTES } from './load-file.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'agents-load-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('loadAgentFile', () => {
  it('loads a good file', async () => {
    const file = path.join(dir, 'good.md');
    await writeFile(file, '---\nname: good\ndescription: d\n---\nHi');
    expect(await loadAgentFile(file)).toMatchObject({ kind: 'agent', agent: { toolName: 'good', file } });
  });

  it('skips a binary file as broken', async () => {
    const file = path.join(dir, 'binary.md');
    await writeFile(file, Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0x00, 0x01]));
    expect(await loadAgentFile(file)).toMatchObject({ kind: 'skipped', broken: true, reason: expect.stringMatching(/binary/) });
  });

  it('skips a file over the size cap as broken', async () => {
    const file = path.join(dir, 'huge.md');
    await writeFile(file, `---\nname: huge\ndescription: d\n---\n${'x'.repeat(MAX_AGENT_FILE_BYTES)}`);
    expect(await loadAgentFile(file)).toMatchObject({ kind: 'skipped', broken: true, reason: expect.stringMatching(/limit/) });
    expect(await loadAgentFile(file, { maxBytes: 2 * MAX_AGENT_FILE_BYTES })).toMatchObject({ kind: 'agent' });
  });

  it('skips an unreadable file (a dangling symlink) as broken, naming the error', async () => {
    const file = path.join(dir, 'dangling.md');
    await symlink(path.join(dir, 'nowhere.md'), file);
    expect(await loadAgentFile(file)).toMatchObject({ kind: 'skipped', broken: true, file, reason: expect.stringMatching(/ENOENT/) });
  });

  it('skips a folder named like a file', async () => {
    const file = path.join(dir, 'folder.md');
    await mkdir(file);
    expect(await loadAgentFile(file)).toMatchObject({ kind: 'skipped', broken: true, reason: 'not a regular file' });
  });
});
