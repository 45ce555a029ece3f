import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  InvalidPathError,
  PathNotFoundError,
  PathOutsideWorkspaceError,
  createWorkspace,
  isInsideWorkspace,
  resolveInside,
} from './workspace.js';
import type { Workspace } from './workspace.js';

let tmp: string;
let wsDir: string;
let ws: Workspace;

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(tmpdir(), 'ws-test-')));
  wsDir = path.join(tmp, 'ws');
  await mkdir(path.join(wsDir, 'sub'), { recursive: true });
  await mkdir(path.join(tmp, 'out'));
  await writeFile(path.join(wsDir, 'a.txt'), 'a');
  await symlink(path.join(tmp, 'out', 'missing'), path.join(wsDir, 'dangling-out'));
  await symlink('a.txt', path.join(wsDir, 'dangling-in-ok'));
  await symlink('loop2', path.join(wsDir, 'loop1'));
  await symlink('loop1', path.join(wsDir, 'loop2'));
  ws = await createWorkspace([wsDir], { homeDir: path.join(tmp, 'home') });
});

afterAll(async () => {
  await rm(tmp, { recursive: true, force: true });
});

describe('createWorkspace', () => {
  it('resolves roots to real paths', async () => {
    await symlink(wsDir, path.join(tmp, 'ws-link'));
    const viaLink = await createWorkspace([path.join(tmp, 'ws-link')]);
    expect(viaLink.roots).toEqual([wsDir]);
  });

  it('rejects an empty root list and a missing root', async () => {
    await expect(createWorkspace([])).rejects.toThrow(/no workspace roots/);
    await expect(createWorkspace([path.join(tmp, 'nope')])).rejects.toThrow(/cannot be resolved/);
  });
});

describe('resolveInside', () => {
  it('resolves relative paths against the first root', async () => {
    await expect(resolveInside(ws, 'a.txt')).resolves.toBe(path.join(wsDir, 'a.txt'));
    await expect(resolveInside(ws, 'sub/../a.txt')).resolves.toBe(path.join(wsDir, 'a.txt'));
  });

  it('resolves a not-yet-existing path through its nearest existing ancestor', async () => {
    await expect(resolveInside(ws, 'sub/new/deeper/file.ts')).resolves.toBe(path.join(wsDir, 'sub/new/deeper/file.ts'));
  });

  it('refuses a not-yet-existing path whose tail climbs out', async () => {
    await expect(resolveInside(ws, 'nonexistent/../../x')).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
  });

  it('follows a dangling symlink to judge where a write would land', async () => {
    await expect(resolveInside(ws, 'dangling-out')).rejects.toBeInstanceOf(PathOutsideWorkspaceError);
  });

  it('throws PathNotFoundError for a missing path only with mustExist', async () => {
    await expect(resolveInside(ws, 'missing.txt', { mustExist: true })).rejects.toBeInstanceOf(PathNotFoundError);
    await expect(resolveInside(ws, 'missing.txt')).resolves.toBe(path.join(wsDir, 'missing.txt'));
  });

  it('reports an outside path as outside even when it does not exist (no existence oracle)', async () => {
    await expect(resolveInside(ws, '/etc/definitely-missing', { mustExist: true })).rejects.toBeInstanceOf(
      PathOutsideWorkspaceError,
    );
  });

  it('names the path, the resolved target and the roots in the outside message', async () => {
    const err = await resolveInside(ws, '../out').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PathOutsideWorkspaceError);
    expect(String((err as Error).message)).toBe(
      `../out (resolves to ${path.join(tmp, 'out')}) is outside the workspace (${wsDir}); the agent may only touch files under: ${wsDir}`,
    );
  });

  it('refuses NUL bytes, empty paths and symlink loops as invalid', async () => {
    await expect(resolveInside(ws, 'a.txt\0.png')).rejects.toThrow(/NUL byte/);
    await expect(resolveInside(ws, '')).rejects.toBeInstanceOf(InvalidPathError);
    await expect(resolveInside(ws, 'loop1')).rejects.toThrow(/too many levels of symbolic links/);
  });

  it('expands ~ to the home directory', async () => {
    const err = await resolveInside(ws, '~/.ssh/id_rsa').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PathOutsideWorkspaceError);
    expect((err as PathOutsideWorkspaceError).resolvedPath).toBe(path.join(tmp, 'home/.ssh/id_rsa'));
  });

  it('accepts paths under any root of a multi-root workspace', async () => {
    const multi = await createWorkspace([wsDir, path.join(tmp, 'out')]);
    await expect(resolveInside(multi, path.join(tmp, 'out', 'x'))).resolves.toBe(path.join(tmp, 'out', 'x'));
  });
});

describe('isInsideWorkspace', () => {
  it('does not treat a sibling sharing the root as a prefix as inside', () => {
    const w: Workspace = { roots: ['/tmp/ws'], homeDir: '/home/x' };
    expect(isInsideWorkspace(w, '/tmp/ws')).toBe(true);
    expect(isInsideWorkspace(w, '/tmp/ws/a')).toBe(true);
    expect(isInsideWorkspace(w, '/tmp/ws-evil/a')).toBe(false);
    expect(isInsideWorkspace({ roots: ['/'], homeDir: '/' }, '/etc')).toBe(true);
  });
});
