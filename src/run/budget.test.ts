/**
 * The budget a nested run shares with its parent, on a scripted in-memory model: a nested run may
 * spend only what its parent has left (dollars, turns, time), and the parent's cost check counts
 * what its nested runs spent. Prices: claude-sonnet-5-5 costs $2 per million input tokens, so
 * 100 000 input tokens are $0.20.
 */
import { describe, expect, it } from 'vitest';
import { agentFromText } from '../../test/helpers/agents.js';
import { answer, createScriptedModel, hang, lastToolResult, text, toolUse, type ScriptedModel } from '../../test/helpers/scripted-model.js';
import { DEFAULT_MODEL_ALIASES } from '../agents/models.js';
import { createLogger } from '../log.js';
import { createFileTools } from '../tools/files/registry.js';
import { prepareAndRun, type RunDeps, type RunSettings } from './prepare-and-run.js';
import { TreeBudget } from './run-budget.js';

const parent = agentFromText('name: parent\ndescription: Plans the work.\ntools: Read, Agent(child)');
const child = agentFromText('name: child\ndescription: Does a part of the work.\ntools: Read');

function deps(model: ScriptedModel, limits: Partial<RunSettings>): RunDeps {
  return {
    settings: { defaultModel: 'claude-sonnet-5-5', modelAliases: DEFAULT_MODEL_ALIASES, maxTurns: 10, maxOutputTokens: 1000, roots: ['/tmp'], ...limits },
    tools: createFileTools(),
    client: model,
    logger: createLogger({ level: 'silent' }),
    delegation: { agents: () => [parent, child] },
  };
}
/** Usage costing `usd` on claude-sonnet-5-5 (input tokens only). */
const costing = (usd: number) => ({ usage: { input_tokens: Math.round(usd * 500_000), output_tokens: 0 } });
const delegate = (id: string) => toolUse('Agent', { description: 'do part', prompt: 'Do the part.', subagent_type: 'child' }, id);
const readMissing = (id: string) => toolUse('Read', { file_path: '/tmp/agents-mcp-budget-test-missing.txt' }, id);
const go = (): AbortSignal => new AbortController().signal;

describe('a nested run shares its parent budget', () => {
  it('caps the child at what the parent has left, and the parent stops at its next check', async () => {
    const model = createScriptedModel();
    model.script(
      answer([delegate('tu_p')], costing(0.2)),
      // The child may spend $0.80 of the parent's $1.00: after $0.90 it stops, though its own cap would allow more.
      answer([readMissing('tu_c1')], costing(0.6)),
      answer([readMissing('tu_c2')], costing(0.3)),
    );
    const result = await prepareAndRun(deps(model, { maxCostUsd: 1 }), { agent: parent, prompt: 'Plan it.', signal: go() });
    expect(result.delegations?.[0]).toMatchObject({ agent: 'child', stop_reason: 'max_cost' });
    expect(result.delegations?.[0]?.cost_usd).toBeCloseTo(0.9);
    // $0.20 + $0.90 of the child: the parent stops before its second turn.
    expect(result).toMatchObject({ stopReason: 'max_cost', turns: 1 });
    expect(result.costUsd).toBeCloseTo(0.2);
    model.assertComplete();
  });

  it('stops the parent with max_cost when its children push it over the cap, though its own cost is below it', async () => {
    const model = createScriptedModel();
    model.script(answer([delegate('tu_p')], costing(0.1)), answer([text('part done')], costing(0.95)));
    const result = await prepareAndRun(deps(model, {}), { agent: agentFromText('name: parent\ndescription: Plans.\ntools: Agent(child)\nmaxCostUsd: 1'), prompt: 'Plan it.', signal: go() });
    expect(result.delegations?.[0]).toMatchObject({ agent: 'child', stop_reason: 'end_turn' });
    expect(result.stopReason).toBe('max_cost');
    expect(result.costUsd).toBeLessThan(1);
    model.assertComplete();
  });

  it('refuses a nested run when the budget is already spent', async () => {
    const model = createScriptedModel();
    // The parent's first turn alone spends its cap: the child starts no model call.
    model.script(answer([delegate('tu_p')], costing(1.2)));
    const result = await prepareAndRun(deps(model, { maxCostUsd: 1 }), { agent: parent, prompt: 'Plan it.', signal: go() });
    expect(result.stopReason).toBe('max_cost');
    expect(result.delegations).toEqual([expect.objectContaining({ agent: 'child', stop_reason: 'max_cost', cost_usd: 0 })]);
    model.assertComplete();

    const spent = new TreeBudget({ maxTurns: 10, maxCostUsd: 1 });
    spent.record({ turns: 1, costUsd: 1 });
    const refused = await prepareAndRun(deps(model, {}), { agent: child, prompt: 'x', signal: go() }, { budget: spent });
    expect(refused).toMatchObject({ stopReason: 'max_cost', turns: 0, error: { kind: 'budget_spent' } });
    expect(refused.error?.advice).toContain('without delegating');
    model.assertComplete();
  });

  it('gives the child no more turns than the parent has left', async () => {
    const model = createScriptedModel();
    model.script(
      answer([delegate('tu_p')]),
      // maxTurns 2, parent used 1: the child gets one turn.
      answer([readMissing('tu_c1')]),
      (request) => {
        expect(JSON.stringify(lastToolResult(request).content)).toContain('stopped at its turn limit (1 turns)');
        return answer([text('done')]);
      },
    );
    const result = await prepareAndRun(deps(model, { maxTurns: 2 }), { agent: parent, prompt: 'Plan it.', signal: go() });
    expect(result.delegations?.[0]).toMatchObject({ stop_reason: 'max_turns' });
    expect(result).toMatchObject({ answer: 'done', stopReason: 'end_turn', turns: 2 });
    model.assertComplete();
  });

  it("ends the child at the parent's deadline", async () => {
    const model = createScriptedModel();
    model.script(answer([delegate('tu_p')]), hang());
    const result = await prepareAndRun(deps(model, { maxDurationMs: 300 }), { agent: parent, prompt: 'Plan it.', signal: go() });
    expect(result.stopReason).toBe('max_duration');
    expect(['max_duration', 'cancelled']).toContain(result.delegations?.[0]?.stop_reason);
    model.assertComplete();
  });
});
