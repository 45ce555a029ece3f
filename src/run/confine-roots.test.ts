import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intersectWithClientRoots } from './confine-roots.js';

let tmp: string;
beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(tmpdir(), 'confine-roots-')));
  for (const d of ['ws/a', 'ws/b', 'ws2', 'other', 'wsx']) await mkdir(path.join(tmp, d), { recursive: true });
  await symlink(path.join(tmp, 'ws', 'a'), path.join(tmp, 'link-to-a'));
});
afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

const p = (...parts: string[]): string => path.join(tmp, ...parts);

describe('intersectWithClientRoots', () => {
  it('narrows a workspace to the client roots inside it, in the client order', async () => {
    expect(await intersectWithClientRoots([p('ws')], [p('ws', 'b'), p('ws', 'a')])).toEqual([p('ws', 'b'), p('ws', 'a')]);
  });

  it('keeps a workspace that lies inside a client root', async () => {
    expect(await intersectWithClientRoots([p('ws'), p('ws2')], [tmp])).toEqual([p('ws'), p('ws2')]);
  });

  it('gives nothing for roots that share nothing, including a sibling sharing the name prefix', async () => {
    expect(await intersectWithClientRoots([p('ws')], [p('other'), p('wsx'), p('missing')])).toEqual([]);
  });

  it('compares real paths, so a symlinked client root counts where it points', async () => {
    expect(await intersectWithClientRoots([p('ws')], [p('link-to-a')])).toEqual([p('ws', 'a')]);
  });
});
