import { describe, expect, it } from 'vitest';
import type { AskUser, PermissionRequest, UserAnswer } from './permission.js';
import { createPermissionGate } from './permission-gate.js';
import type { PermissionMode } from './permission-mode.js';

const edit: PermissionRequest = { kind: 'edit', tool: 'Edit', path: '/ws/a.ts', action: 'edit' };
const bash: PermissionRequest = { kind: 'bash', tool: 'Bash', command: 'npm test', cwd: '/ws' };
const rm: PermissionRequest = { kind: 'bash', tool: 'Bash', command: 'rm -rf build', cwd: '/ws' };

function asker(...answers: UserAnswer[]): AskUser & { asked: PermissionRequest[] } {
  const asked: PermissionRequest[] = [];
  const fn = async (q: { request: PermissionRequest }): Promise<UserAnswer> => {
    asked.push(q.request);
    return answers.shift() ?? { answer: 'decline', reason: 'no more answers' };
  };
  return Object.assign(fn, { asked });
}

const gate = (mode: PermissionMode, askUser?: AskUser, allowBash: string[] = []) =>
  createPermissionGate({ mode, allowBash, agentName: 'tester', signal: new AbortController().signal, ...(askUser ? { askUser } : {}) });

describe('createPermissionGate', () => {
  it('bypassPermissions allows everything without asking', async () => {
    const ask = asker();
    expect(await gate('bypassPermissions', ask)(rm)).toEqual({ allowed: true });
    expect(await gate('bypassPermissions', ask)(edit)).toEqual({ allowed: true });
    expect(ask.asked).toEqual([]);
  });

  it('acceptEdits allows edits and asks for commands', async () => {
    const ask = asker({ answer: 'approve' });
    const g = gate('acceptEdits', ask);
    expect(await g(edit)).toEqual({ allowed: true });
    expect(await g(rm)).toEqual({ allowed: true });
    expect(ask.asked).toEqual([rm]);
  });

  it('default asks for both, and "approve for the run" covers later requests of that kind only', async () => {
    const ask = asker({ answer: 'approve_for_run' }, { answer: 'decline', reason: 'declined by the user' });
    const g = gate('default', ask);
    expect(await g(edit)).toEqual({ allowed: true });
    expect(await g({ ...edit, path: '/ws/b.ts' })).toEqual({ allowed: true });
    const refused = await g(rm);
    expect(refused.allowed).toBe(false);
    expect(refused.allowed ? '' : refused.message).toBe(
      'Bash refused: the user did not approve this (declined by the user). Do not retry it; carry on without it or explain in your answer what you needed.',
    );
    expect(ask.asked).toEqual([edit, rm]);
  });

  it('--allow-bash pre-approves matching commands in default and dontAsk modes', async () => {
    const ask = asker();
    expect(await gate('default', ask, ['npm test'])(bash)).toEqual({ allowed: true });
    expect(await gate('dontAsk', undefined, ['npm test'])(bash)).toEqual({ allowed: true });
    expect(ask.asked).toEqual([]);
  });

  it('without elicitation, refuses and names the flags to restart with', async () => {
    const bashRefusal = await gate('default')(bash);
    expect(bashRefusal).toEqual({
      allowed: false,
      message:
        "Bash needs approval: it is not pre-approved by --allow-bash: the server has no --allow-bash patterns; the server runs in default mode and this client cannot ask the user (it offers no MCP elicitation); allow it with --allow-bash 'npm test' (repeatable; a prefix or a glob), or restart agents-mcp with --permission-mode bypassPermissions to allow every command.",
    });
    const editRefusal = await gate('default')(edit);
    expect(editRefusal.allowed ? '' : editRefusal.message).toBe(
      'Edit needs approval to edit /ws/a.ts: the server runs in default mode and this client cannot ask the user (it offers no MCP elicitation); restart agents-mcp with --permission-mode acceptEdits to allow file edits inside the workspace.',
    );
    const syntax = await gate('default', undefined, ['echo'])({ ...bash, command: 'echo $(id)' });
    expect(syntax.allowed ? '' : syntax.message).toBe(
      'Bash needs approval: it is not pre-approved by --allow-bash: it uses command or arithmetic substitution ($( )); the server runs in default mode and this client cannot ask the user (it offers no MCP elicitation); no --allow-bash pattern can pre-approve it; use a client that can ask, or restart agents-mcp with --permission-mode bypassPermissions to allow every command.',
    );
  });

  it('plan mode refuses naming plan mode and the flag that lifts it', async () => {
    const verdict = await gate('plan')(edit);
    expect(verdict.allowed ? '' : verdict.message).toMatch(/^Edit refused: the server runs in plan mode \(--permission-mode plan.*--permission-mode default or acceptEdits/);
  });

  it('a one-time "approve" is not remembered: the next edit asks again', async () => {
    const ask = asker({ answer: 'approve' }, { answer: 'decline', reason: 'declined by the user' });
    const g = gate('default', ask);
    expect(await g(edit)).toEqual({ allowed: true });
    expect((await g({ ...edit, path: '/ws/b.ts' })).allowed).toBe(false);
    expect(ask.asked).toHaveLength(2);
  });

  it('plan and dontAsk refuse without asking', async () => {
    const ask = asker({ answer: 'approve' });
    expect((await gate('plan', ask)(edit)).allowed).toBe(false);
    expect((await gate('plan', ask)(bash)).allowed).toBe(false);
    expect((await gate('dontAsk', ask)(edit)).allowed).toBe(false);
    expect((await gate('dontAsk', ask)(rm)).allowed).toBe(false);
    expect(ask.asked).toEqual([]);
  });

  it('asks one question at a time, so an approval for the run settles the queued ones', async () => {
    const asked: PermissionRequest[] = [];
    let release: (a: UserAnswer) => void = () => undefined;
    let firstAsked: () => void = () => undefined;
    const questionPending = new Promise<void>((resolve) => {
      firstAsked = resolve;
    });
    const slow: AskUser = (q) => {
      asked.push(q.request);
      return new Promise((resolve) => {
        release = resolve;
        firstAsked();
      });
    };
    const g = gate('default', slow);
    const first = g(edit);
    const second = g({ ...edit, path: '/ws/other.ts' });
    await questionPending;
    release({ answer: 'approve_for_run' });
    expect(await first).toEqual({ allowed: true });
    expect(await second).toEqual({ allowed: true });
    expect(asked).toHaveLength(1);
  });

  it('turns a failing question into a refusal', async () => {
    const failing: AskUser = () => Promise.reject(new Error('client went away'));
    const verdict = await gate('default', failing)(edit);
    expect(verdict).toEqual({ allowed: false, message: 'Edit refused: asking the user failed (client went away).' });
  });
});
