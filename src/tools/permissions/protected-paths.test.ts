import { mkdir, mkdtemp, realpath, rm, symlink } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AskUser, PermissionRequest, UserAnswer } from './permission.js';
import { createPermissionGate } from './permission-gate.js';
import type { PermissionMode } from './permission-mode.js';
import { createProtectedPaths, type ProtectedPaths } from './protected-paths.js';

let ws: string;
let rules: ProtectedPaths;

beforeAll(async () => {
  ws = await realpath(await mkdtemp(path.join(os.tmpdir(), 'protected-paths-')));
  await mkdir(path.join(ws, 'agents'), { recursive: true });
  await mkdir(path.join(ws, 'src'), { recursive: true });
  await symlink(path.join(ws, 'agents'), path.join(ws, 'innocent'));
  rules = createProtectedPaths({ agentDirs: [path.join(ws, 'agents')], configFiles: [path.join(ws, 'conf', 'mcp.json')] });
});

afterAll(async () => {
  await rm(ws, { recursive: true, force: true });
});

describe('createProtectedPaths', () => {
  it('protects agent folders, config files, .claude folders and .mcp.json anywhere', () => {
    expect(rules.reasonFor(path.join(ws, 'agents', 'evil.md'))).toMatch(/serves agents from/);
    expect(rules.reasonFor(path.join(ws, 'agents', 'deep', 'evil.md'))).toMatch(/serves agents from/);
    expect(rules.reasonFor(path.join(ws, 'agents', 'notes.txt'))).toBeUndefined();
    expect(rules.reasonFor(path.join(ws, 'conf', 'mcp.json'))).toMatch(/as configuration/);
    expect(rules.reasonFor(path.join(ws, '.claude', 'settings.json'))).toMatch(/\.claude folder/);
    expect(rules.reasonFor(path.join(ws, 'sub', '.mcp.json'))).toMatch(/configures MCP servers/);
    expect(rules.reasonFor(path.join(ws, 'src', 'a.ts'))).toBeUndefined();
    expect(rules.reasonFor(path.join(ws, 'agents-notes.md'))).toBeUndefined();
  });

  it("finds a protected path among a command's words: relative, through a symlink, or as a glob that could match", () => {
    expect(rules.reasonForWords(['cp', 'x', '.claude/agents/evil.md'], ws)).toMatch(/^\.claude\/agents\/evil\.md: /);
    expect(rules.reasonForWords(['cp', 'x', 'innocent/evil.md'], ws)).toMatch(/serves agents from/);
    expect(rules.reasonForWords(['cp', 'x', 'a*/evil.md'], ws)).toMatch(/could match/);
    expect(rules.reasonForWords(['cp', 'x', '.c*'], ws)).toMatch(/could match a \.claude folder/);
    expect(rules.reasonForWords(['mv', 'x', 'agents/sub'], ws)).toMatch(/may become a folder of agent files/);
    expect(rules.reasonForWords(['echo', 'hi', '-la'], path.join(ws, 'agents'))).toBeUndefined();
    expect(rules.reasonForWords(['ls', '*.ts', 'src/*'], ws)).toBeUndefined();
    expect(rules.reasonForWords(['cat', 'src/a.ts'], path.join(ws, 'src'))).toBeUndefined();
  });
});

describe('the gate and protected paths', () => {
  const edit = (): PermissionRequest => ({ kind: 'edit', tool: 'Write', path: path.join(ws, 'agents', 'evil.md'), action: 'create' });
  const asker = (...answers: UserAnswer[]): AskUser & { asked: number } => {
    const fn = Object.assign(async (): Promise<UserAnswer> => {
      fn.asked++;
      return answers.shift() ?? { answer: 'decline', reason: 'no more answers' };
    }, { asked: 0 });
    return fn;
  };
  const gate = (mode: PermissionMode, askUser?: AskUser, allowBash: string[] = []) =>
    createPermissionGate({ mode, allowBash, agentName: 't', signal: new AbortController().signal, protectedPaths: rules, ...(askUser ? { askUser } : {}) });

  it('acceptEdits does not write there: without a way to ask it is refused, naming the rule and bypassPermissions', async () => {
    const verdict = await gate('acceptEdits')(edit());
    expect(verdict.allowed).toBe(false);
    expect(verdict.allowed ? '' : verdict.message).toMatch(/is protected \(it is an agent file of .*agents, a folder agents-mcp serves agents from\).*--permission-mode bypassPermissions/);
  });

  it('every write there is asked, even after "approve for the run"', async () => {
    const ask = asker({ answer: 'approve_for_run' }, { answer: 'decline', reason: 'no' });
    const g = gate('acceptEdits', ask);
    expect(await g(edit())).toEqual({ allowed: true });
    expect((await g(edit())).allowed).toBe(false);
    expect(ask.asked).toBe(2);
  });

  it('bypassPermissions writes there; dontAsk refuses', async () => {
    expect(await gate('bypassPermissions')(edit())).toEqual({ allowed: true });
    expect((await gate('dontAsk')(edit())).allowed).toBe(false);
  });

  it('a pre-approved command that names a protected path is not pre-approved', async () => {
    const bash = (command: string): PermissionRequest => ({ kind: 'bash', tool: 'Bash', command, cwd: ws });
    expect(await gate('default', undefined, ['cp', 'tee'])(bash('cp src/a.ts src/b.ts'))).toEqual({ allowed: true });
    const verdict = await gate('acceptEdits', undefined, ['cp'])(bash('cp x .claude/agents/evil.md'));
    expect(verdict.allowed ? '' : verdict.message).toMatch(/names a protected path .*no --allow-bash pattern can pre-approve it/);
  });
});
