import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resolveAgentDirs } from './discover.js';

let root: string;
let home: string;
let bundledDir: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'agents-discover-'));
  home = path.join(root, 'home');
  bundledDir = path.join(root, 'bundled');
  await mkdir(path.join(root, 'repo/.git'), { recursive: true });
  await mkdir(path.join(root, 'repo/pkg/src'), { recursive: true });
  await mkdir(home, { recursive: true });
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const projectDir = (...parts: string[]): string => path.join(root, ...parts, '.claude/agents');

describe('resolveAgentDirs', () => {
  it('falls back to the bundled folder when the user has none', () => {
    expect(resolveAgentDirs({ cwd: path.join(root, 'repo/pkg/src'), home, bundledDir })).toEqual([bundledDir]);
  });

  it('finds the nearest .claude/agents walking up, then the user folder', async () => {
    await mkdir(projectDir('repo'), { recursive: true });
    await mkdir(projectDir('repo/pkg'), { recursive: true });
    await mkdir(path.join(home, '.claude/agents'), { recursive: true });
    expect(resolveAgentDirs({ cwd: path.join(root, 'repo/pkg/src'), home, bundledDir })).toEqual([
      projectDir('repo/pkg'),
      path.join(home, '.claude/agents'),
    ]);
  });

  it('stops at the repository root', async () => {
    await mkdir(projectDir(), { recursive: true }); // above the repo: not ours
    expect(resolveAgentDirs({ cwd: path.join(root, 'repo/pkg'), home, bundledDir })).toEqual([bundledDir]);
  });

  it('treats a .git file (worktree) as a repository root too', async () => {
    await mkdir(projectDir('wt'), { recursive: true });
    await mkdir(path.join(root, 'wt/sub/deeper'), { recursive: true });
    await writeFile(path.join(root, 'wt/sub/.git'), 'gitdir: elsewhere');
    expect(resolveAgentDirs({ cwd: path.join(root, 'wt/sub/deeper'), home, bundledDir })).toEqual([bundledDir]);
  });

  it('walks to the filesystem root outside a repository', async () => {
    await mkdir(projectDir(), { recursive: true });
    await mkdir(path.join(root, 'plain/dir'), { recursive: true });
    expect(resolveAgentDirs({ cwd: path.join(root, 'plain/dir'), home, bundledDir })).toEqual([projectDir()]);
  });

  it('lists the home folder once when the project search reaches it', async () => {
    await mkdir(path.join(home, '.claude/agents'), { recursive: true });
    await mkdir(path.join(home, 'work'), { recursive: true });
    expect(resolveAgentDirs({ cwd: path.join(home, 'work'), home, bundledDir })).toEqual([path.join(home, '.claude/agents')]);
  });
});
