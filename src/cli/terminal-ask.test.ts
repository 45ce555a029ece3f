import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { ApprovalQuestion } from '../tools/permission.js';
import { createTerminalAskUser, parseTerminalAnswer } from './terminal-ask.js';

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
});
