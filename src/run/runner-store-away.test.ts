/**
 * The runner when the shared run store cannot be reached: a resume is refused with the store's
 * clear "retry" message, and a store that goes away between the check and the run ends the call
 * with a `store_unavailable` error (nothing ran, the model is never called) instead of throwing.
 */
import { describe, expect, it } from 'vitest';
import { agentFromText } from '../../test/helpers/agents.js';
import { DEFAULT_MODEL_ALIASES } from '../agents/models.js';
import { createLogger } from '../log.js';
import { LOCAL_PRINCIPAL } from './call-context.js';
import type { RunDeps } from './prepare-and-run.js';
import { ModelError } from './model.js';
import type { RunRecord } from './run-record.js';
import { createRunStore, RunStoreUnavailableError, type RunStore } from './run-store.js';
import { createRunner } from './runner.js';

const agent = agentFromText('name: helper\ndescription: Helps.\ntools: Read');
const deps: RunDeps = {
  settings: { defaultModel: 'claude-fable-5-2', modelAliases: DEFAULT_MODEL_ALIASES, maxTurns: 10, maxOutputTokens: 1000, roots: ['/tmp'] },
  tools: [],
  // Any model call would fail loudly: none must happen here.
  client: new ModelError('no_credentials', 'the model must not be called in this test'),
  logger: createLogger({ level: 'silent' }),
};
const kept: RunRecord = {
  run_id: 'earlier',
  agent: 'helper',
  model: 'claude-fable-5-2',
  status: 'ended',
  prompt: 'first',
  principal: LOCAL_PRINCIPAL,
  started_at: '2026-01-01T00:00:00.000Z',
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'first' }] },
    { role: 'assistant', content: [{ type: 'text', text: 'done' }] },
  ],
};

/** A memory run store whose reads fail as an unreachable Redis does once `away()` is called. */
function storeThatGoesAway(): { runs: RunStore; away: () => void } {
  const inner = createRunStore();
  let isAway = false;
  const unreachable = (): Promise<never> => Promise.reject(new RunStoreUnavailableError(new Error('not connected')));
  return {
    runs: {
      save: (record) => inner.save(record),
      get: (runId) => (isAway ? unreachable() : inner.get(runId)),
      list: (principal) => (isAway ? unreachable() : inner.list(principal)),
    },
    away: () => (isAway = true),
  };
}

describe('the runner with its run store away', () => {
  it('refuses a resume with the store\'s message to retry', async () => {
    const { runs, away } = storeThatGoesAway();
    await runs.save(kept);
    away();
    const check = await createRunner({ runDeps: deps, runs }).prepareResume('earlier', 'helper', LOCAL_PRINCIPAL);
    expect(check).toEqual({ ok: false, problem: expect.stringMatching(/run store is unreachable.*Retry in a moment/) });
  });

  it('ends a resumed call with store_unavailable when the store goes away after the check', async () => {
    const { runs, away } = storeThatGoesAway();
    await runs.save(kept);
    const runner = createRunner({ runDeps: deps, runs });
    const check = await runner.prepareResume('earlier', 'helper', LOCAL_PRINCIPAL);
    if (!check.ok) throw new Error(check.problem);
    away();
    const result = await runner.run({ agent, prompt: 'more', signal: new AbortController().signal, resume: { runId: check.runId, history: check.history } });
    expect(result).toMatchObject({ stopReason: 'error', turns: 0, error: { kind: 'store_unavailable', message: expect.stringContaining('run store is unreachable') } });
  });
});
