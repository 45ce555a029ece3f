import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createProgressReporter, type ProgressUpdate } from './progress.js';

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function reporter(options: { throttleMs?: number; heartbeatMs?: number } = {}) {
  const sent: ProgressUpdate[] = [];
  const r = createProgressReporter({ send: (u) => sent.push(u), now: () => Date.now(), ...options });
  return { r, sent, messages: () => sent.map((u) => u.message) };
}

describe('createProgressReporter', () => {
  it('sends one update per step, with a growing progress count', () => {
    const { r, sent, messages } = reporter();
    r.onEvent({ type: 'queued', position: 2 });
    r.onEvent({ type: 'started', runId: 'r', agent: 'reader', model: 'claude-sonnet-5-5' });
    r.onEvent({ type: 'turn_start', turn: 1 });
    r.onEvent({ type: 'tool_start', name: 'Read', input: { file_path: '/w/src/index.ts' } });
    r.onEvent({ type: 'tool_end', name: 'Read', isError: false });
    r.onEvent({ type: 'tool_end', name: 'Grep', isError: true });
    expect(messages()).toEqual([
      'queued (position 2)',
      'reader started on claude-sonnet-5-5',
      'turn 1: waiting for the model',
      'Read /w/src/index.ts',
      'Read done',
      'Grep failed',
    ]);
    expect(sent.map((u) => u.progress)).toEqual([1, 2, 3, 4, 5, 6]);
    r.close();
  });

  it('throttles streamed text to one update per interval, the last one trailing', () => {
    const { r, messages } = reporter({ throttleMs: 250 });
    r.onEvent({ type: 'turn_start', turn: 1 });
    for (let i = 0; i < 100; i++) {
      r.onEvent({ type: 'text', text: 'abcd' });
      vi.advanceTimersByTime(10);
    }
    // 100 deltas over 1 s: the first at once, then one per 250 ms (at 250, 500, 750, 1000).
    expect(messages().filter((m) => m.startsWith('turn 1: writing'))).toHaveLength(5);
    vi.advanceTimersByTime(250);
    expect(messages().at(-1)).toBe('turn 1: writing (400 characters)');
    r.close();
  });

  it("sends a new turn's first text at once, however recent the last turn's", () => {
    const { r, messages } = reporter({ throttleMs: 250 });
    r.onEvent({ type: 'turn_start', turn: 1 });
    r.onEvent({ type: 'text', text: 'one' });
    r.onEvent({ type: 'turn_start', turn: 2 });
    r.onEvent({ type: 'text', text: 'two!' });
    expect(messages()).toEqual(['turn 1: waiting for the model', 'turn 1: writing (3 characters)', 'turn 2: waiting for the model', 'turn 2: writing (4 characters)']);
    r.close();
  });

  it('drops a pending text update when a step comes first', () => {
    const { r, messages } = reporter({ throttleMs: 250 });
    r.onEvent({ type: 'turn_start', turn: 1 });
    r.onEvent({ type: 'text', text: 'a' });
    r.onEvent({ type: 'text', text: 'b' });
    r.onEvent({ type: 'tool_start', name: 'LS', input: {} });
    vi.advanceTimersByTime(1000);
    expect(messages()).toEqual(['turn 1: waiting for the model', 'turn 1: writing (1 characters)', 'LS']);
    r.close();
  });

  it('repeats the last step as a heartbeat while nothing happens, and never after close', () => {
    const { r, messages } = reporter({ heartbeatMs: 10_000 });
    r.onEvent({ type: 'tool_start', name: 'Bash', input: { command: 'npm test' } });
    vi.advanceTimersByTime(25_000);
    expect(messages()).toEqual(['Bash npm test', 'Bash npm test (still working, 10 s)', 'Bash npm test (still working, 20 s)']);
    r.close();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(60_000);
    r.onEvent({ type: 'turn_start', turn: 2 });
    expect(messages()).toHaveLength(3);
  });

  it('beats even before the first event (a run waiting for its first model response)', () => {
    const { r, messages } = reporter({ heartbeatMs: 1000 });
    vi.advanceTimersByTime(1000);
    expect(messages()).toEqual(['starting (still working, 1 s)']);
    r.close();
  });
});
