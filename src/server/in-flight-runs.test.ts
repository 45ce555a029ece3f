import { describe, expect, it } from 'vitest';
import type { AgentDefinition } from '../agents/definition.js';
import type { RunResult } from '../run/result.js';
import { emptyUsage } from '../run/usage.js';
import { createInFlightRuns } from './in-flight-runs.js';
import type { CallAgent } from './publish.js';

const agent: AgentDefinition = {
  name: 'a',
  toolName: 'a',
  title: 'a',
  description: 'An agent.',
  prompt: 'You are a.',
  disallowedTools: [],
  model: 'inherit',
  extra: {},
  file: '/agents/a.md',
  source: '',
  warnings: [],
};

function result(stopReason: RunResult['stopReason']): RunResult {
  return { answer: '', runId: 'r', agent: 'a', model: 'm', backend: 'test', stopReason, turns: 1, usage: emptyUsage(), costUsd: 0, durationMs: 0, warnings: [] };
}

/** A caller that runs until its signal aborts, then reports a cancelled run. */
const untilAborted: CallAgent = ({ signal }) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve(result('cancelled'));
    signal.addEventListener('abort', () => resolve(result('cancelled')), { once: true });
  });

describe('createInFlightRuns', () => {
  it('counts running calls and stops them all with the reason in the result', async () => {
    const runs = createInFlightRuns();
    const call = runs.wrap(untilAborted);
    const one = call({ agent, prompt: 'x', signal: new AbortController().signal });
    const two = call({ agent, prompt: 'y', signal: new AbortController().signal });
    expect(runs.size).toBe(2);
    runs.cancelAll('the server is shutting down (SIGTERM)');
    for (const r of await Promise.all([one, two])) {
      expect(r.stopReason).toBe('cancelled');
      expect(r.error).toMatchObject({ kind: 'cancelled', message: 'the server is shutting down (SIGTERM)' });
    }
    expect(runs.size).toBe(0);
  });

  it('leaves a call cancelled by its own client as it was', async () => {
    const runs = createInFlightRuns();
    const own = new AbortController();
    const pending = runs.wrap(untilAborted)({ agent, prompt: 'x', signal: own.signal });
    own.abort();
    expect((await pending).error).toBeUndefined();
  });

  it('stops a call made after the shutdown began at once', async () => {
    const runs = createInFlightRuns();
    runs.cancelAll('stopping');
    const r = await runs.wrap(untilAborted)({ agent, prompt: 'x', signal: new AbortController().signal });
    expect(r.error?.message).toBe('stopping');
  });
});
