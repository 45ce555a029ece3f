import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ApprovalQuestion } from '../tools/permissions/permission.js';
import { colorDiff, createTerminalAskUser, formatTerminalQuestion, parseTerminalAnswer } from './terminal-ask.js';

const question: ApprovalQuestion = { request: { kind: 'bash', tool: 'Bash', command: 'npm test', cwd: '/ws' }, mode: 'default', agent: 'tester' };

function terminal(): { input: PassThrough; output: PassThrough; shown: () => string } {
  const input = new PassThrough();
  const output = new PassThrough();
  let shown = '';
  output.on('data', (c: Buffer) => (shown += c.toString()));
  return { input, output, shown: () => shown };
}

describe('terminal permission prompt', () => {
  it.each([
    ['y', 'approve'],
    ['YES', 'approve'],
    ['a', 'approve_for_run'],
    ['', 'decline'],
    ['n', 'decline'],
    ['maybe', 'decline'],
  ])('reads %j as %s', (typed, answer) => {
    expect(parseTerminalAnswer(typed).answer).toBe(answer);
  });

  it('shows the command and reads the answer typed', async () => {
    const t = terminal();
    const ask = createTerminalAskUser(t);
    const answer = ask(question, new AbortController().signal);
    t.input.write('y\n');
    expect(await answer).toEqual({ answer: 'approve' });
    expect(t.shown()).toContain('npm test');
    expect(t.shown()).toContain('Allow? [y]es');
  });

  it('asks one question at a time, in order', async () => {
    const t = terminal();
    const ask = createTerminalAskUser(t);
    const first = ask(question, new AbortController().signal);
    const second = ask({ ...question, request: { ...question.request, command: 'npm run lint' } as ApprovalQuestion['request'] }, new AbortController().signal);
    t.input.write('a\n');
    expect(await first).toEqual({ answer: 'approve_for_run' });
    t.input.write('n\n');
    expect(await second).toMatchObject({ answer: 'decline' });
    expect(t.shown().indexOf('npm run lint')).toBeGreaterThan(t.shown().indexOf('npm test'));
  });

  it('declines when the run is cancelled while it waits', async () => {
    const t = terminal();
    const controller = new AbortController();
    const answer = createTerminalAskUser(t)(question, controller.signal);
    controller.abort();
    expect(await answer).toEqual({ answer: 'decline', reason: 'the run was cancelled' });
  });

  it('shows an edit as its diff, coloured on a terminal and plain otherwise', () => {
    const edit: ApprovalQuestion = { request: { kind: 'edit', tool: 'Edit', path: '/ws/a.ts', action: 'edit', preview: '@@ -1,1 +1,1 @@\n-old\n+new' }, mode: 'default', agent: 'coder' };
    const plain = formatTerminalQuestion(edit, false);
    expect(plain).toContain('@@ -1,1 +1,1 @@\n-old\n+new');
    expect(plain).not.toContain('\u001b[');
    const coloured = formatTerminalQuestion(edit, true);
    expect(coloured).toContain(colorDiff('-old'));
    expect(colorDiff('-old\n+new\n same')).toBe('\u001b[31m-old\u001b[39m\n\u001b[32m+new\u001b[39m\n same');
  });
});
