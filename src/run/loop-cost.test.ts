/**
 * What a run costs, on a scripted in-memory model: the day's prices per request (long-context
 * bands included), an unknown price reported as null rather than $0, and a dollar cap on a model
 * without a price refused before any model call.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { agentFromText } from '../../test/helpers/agents.js';
import { loopOptions } from '../../test/helpers/run-options.js';
import { answer, createScriptedModel, text, toolUse, type ScriptedModel } from '../../test/helpers/scripted-model.js';
import { DEFAULT_MODEL_ALIASES } from '../agents/models.js';
import { createLogger } from '../log.js';
import { runLoop } from './loop.js';
import { prepareAndRun } from './prepare-and-run.js';

const MTOK = 1_000_000;
let model: ScriptedModel;
beforeEach(() => {
  model = createScriptedModel();
});
afterEach(() => {
  model.assertComplete();
});

describe('prices', () => {
  it('charges a 1M-in + 1M-out run on claude-fable-5-2 exactly $48.00', async () => {
    model.script(answer([text('Done.')], { usage: { input_tokens: MTOK, output_tokens: MTOK }, model: 'claude-fable-5-2' }));
    const result = await runLoop(loopOptions(model, { model: 'claude-fable-5-2' }));
    expect(result.costUsd).toBe(48);
  });

  it("reports an unknown model's cost as null, not $0, with a warning", async () => {
    model.script(answer([text('Done.')], { usage: { input_tokens: 1000, output_tokens: 100 }, model: 'my-local-model' }));
    const result = await runLoop(loopOptions(model, { model: 'my-local-model' }));
    expect(result.costUsd).toBeNull();
    expect(result.costUsd).not.toBe(0);
    expect(result.warnings.join('\n')).toContain('No price is known for model my-local-model');
  });

  it('refuses up front a run with a dollar cap on a model without a price, sending nothing', async () => {
    const agent = agentFromText('name: local\ndescription: Runs locally.\nmodel: my-local-model');
    const deps = {
      settings: { defaultModel: 'claude-sonnet-5-5', modelAliases: DEFAULT_MODEL_ALIASES, maxTurns: 5, maxOutputTokens: 1000, roots: ['/tmp'], maxCostUsd: 1 },
      tools: [],
      client: model,
      logger: createLogger({ level: 'silent' }),
    };
    const result = await prepareAndRun(deps, { agent, prompt: 'go', signal: new AbortController().signal });
    expect(result).toMatchObject({ stopReason: 'error', error: { kind: 'unknown_price' } });
    expect(result.error?.message).toContain('No price is known for model my-local-model');
    expect(result.error?.advice).toContain('--prices');
    expect(model.calls).toEqual([]);
  });

  it('prices each request of a run in its own long-context band', async () => {
    // Haiku 5.5: a 150k-token prompt pays the >100k rates; the 10k one after it the base rates.
    model.script(
      answer([toolUse('Echo', { say: 'x' })], { usage: { input_tokens: 150_000, output_tokens: 1000 }, model: 'claude-haiku-5-5' }),
      answer([text('Done.')], { usage: { input_tokens: 10_000, output_tokens: 1000 }, model: 'claude-haiku-5-5' }),
    );
    const result = await runLoop(loopOptions(model, { model: 'claude-haiku-5-5' }));
    expect(result.costUsd).toBeCloseTo((150_000 * 0.5 + 1000 * 2.5 + 10_000 * 0.1 + 1000 * 0.5) / MTOK, 10);
  });
});
