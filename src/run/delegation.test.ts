/**
 * Delegation through the Agent tool, on a scripted in-memory model: nested runs, the usage tree,
 * the model override, the cycle refusal and the depth limit.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { agentFromText } from '../../test/helpers/agents.js';
import { answer, createScriptedModel, lastToolResult, offeredTools, text, toolUse, type ScriptedModel } from '../../test/helpers/scripted-model.js';
import type { AgentDefinition } from '../agents/definition.js';
import { DEFAULT_MODEL_ALIASES } from '../agents/models.js';
import { createLogger } from '../log.js';
import { createFileTools } from '../tools/files/registry.js';
import { ModelError, type ModelRequest } from './model.js';
import { prepareAndRun, type RunDeps } from './prepare-and-run.js';

let fake: ScriptedModel;

const parent = agentFromText('name: parent\ndescription: Plans the work.\ntools: Read, Agent(child)');
const child = agentFromText('name: child\ndescription: Does a part of the work.\ntools: Read, Agent(grandchild, parent)');
const grandchild = agentFromText('name: grandchild\ndescription: Does the smallest part.\ntools: Read, Agent');
const loner = agentFromText('name: loner\ndescription: Works alone.\ntools: Read');
const catalog: AgentDefinition[] = [parent, child, grandchild, loner];

function depsWith(maxDepth: number): RunDeps {
  return {
    settings: { defaultModel: 'claude-sonnet-5-5', modelAliases: DEFAULT_MODEL_ALIASES, maxTurns: 10, maxOutputTokens: 1000, roots: ['/tmp'], maxDepth },
    tools: createFileTools(),
    client: fake,
    logger: createLogger({ level: 'silent' }),
    delegation: { agents: () => catalog },
  };
}
const usage = (input: number, output: number) => ({ usage: { input_tokens: input, output_tokens: output } });
const agentToolOf = (req: ModelRequest) => req.tools.find((t) => t.name === 'Agent');
const go = (): AbortSignal => new AbortController().signal;

beforeEach(() => {
  fake = createScriptedModel();
});

describe('delegation with the Agent tool', () => {
  it('runs parent → child → grandchild and rolls their usage up as a tree', async () => {
    fake.script(
      (req) => {
        expect(offeredTools(req)).toEqual(['Read', 'Agent']);
        const agentTool = agentToolOf(req);
        expect(agentTool?.description).toContain('- child: Does a part of the work.');
        expect(agentTool?.description).not.toContain('grandchild');
        return answer([toolUse('Agent', { description: 'do part', prompt: 'Do the part.', subagent_type: 'child' }, 'tu_p')], usage(100, 10));
      },
      (req) => {
        expect(req.system).toContain('You are a test agent.');
        expect(req.messages[0]?.content).toEqual([{ type: 'text', text: 'Do the part.' }]);
        return answer([toolUse('Agent', { description: 'do less', prompt: 'Do the smallest part.', subagent_type: 'grandchild', model: 'haiku' }, 'tu_c')], usage(50, 5));
      },
      (req) => {
        expect(req.model).toBe('claude-haiku-5-5');
        // The grandchild is at the depth limit (3): it lists Agent but is not offered it.
        expect(offeredTools(req)).toEqual(['Read']);
        return answer([text('leaf done')], { ...usage(20, 2), model: req.model });
      },
      (req) => {
        expect(lastToolResult(req).content).toEqual([{ type: 'text', text: 'leaf done' }]);
        return answer([text('part done')], usage(60, 6));
      },
      (req) => {
        expect(lastToolResult(req).content).toEqual([{ type: 'text', text: 'part done' }]);
        return answer([text('all done')], usage(120, 12));
      },
    );
    const result = await prepareAndRun(depsWith(3), { agent: parent, prompt: 'Plan it.', signal: go() });
    expect(result).toMatchObject({ answer: 'all done', stopReason: 'end_turn', usage: { input_tokens: 220, output_tokens: 22 } });
    expect(result.delegations).toEqual([
      {
        agent: 'child',
        run_id: expect.any(String),
        model: 'claude-sonnet-5-5',
        stop_reason: 'end_turn',
        usage: { input_tokens: 110, output_tokens: 11, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        cost_usd: expect.any(Number),
        delegations: [
          {
            agent: 'grandchild',
            run_id: expect.any(String),
            model: 'claude-haiku-5-5',
            stop_reason: 'end_turn',
            usage: { input_tokens: 20, output_tokens: 2, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
            cost_usd: expect.any(Number),
            delegations: [],
          },
        ],
      },
    ]);
    expect(result.delegations?.[0]?.cost_usd).toBeGreaterThan(0);
    fake.assertComplete();
  });

  it('refuses a delegation back to an agent already on the chain, and the run goes on', async () => {
    fake.script(
      answer([toolUse('Agent', { description: 'do part', prompt: 'Do the part.', subagent_type: 'child' }, 'tu_p')]),
      (req) => {
        const agentTool = agentToolOf(req);
        // parent is on the chain: not listed, though Agent(grandchild, parent) allows it.
        expect(agentTool?.description).toContain('- grandchild:');
        expect(agentTool?.description).not.toContain('- parent:');
        return answer([toolUse('Agent', { description: 'ask parent', prompt: 'Plan again.', subagent_type: 'parent' }, 'tu_cycle')]);
      },
      (req) => {
        const refused = lastToolResult(req);
        expect(refused.is_error).toBe(true);
        expect(JSON.stringify(refused.content)).toContain('agent \\"parent\\" is already running on this call chain (parent → child → parent)');
        return answer([text('did it myself')]);
      },
      answer([text('all done')]),
    );
    const result = await prepareAndRun(depsWith(5), { agent: parent, prompt: 'Plan it.', signal: go() });
    expect(result.answer).toBe('all done');
    const childNode = result.delegations?.[0];
    expect(childNode?.delegations).toEqual([expect.objectContaining({ agent: 'parent', stop_reason: 'error', usage: expect.objectContaining({ input_tokens: 0 }) })]);
    fake.assertComplete();
  });

  it('does not offer Agent at the depth limit and says why in the warnings', async () => {
    fake.script(answer([toolUse('Agent', { description: 'do part', prompt: 'Do it.', subagent_type: 'child' }, 'tu_p')]), (req) => {
      expect(offeredTools(req)).toEqual(['Read']);
      return answer([text('child alone')]);
    }, answer([text('done')]));
    const result = await prepareAndRun(depsWith(2), { agent: parent, prompt: 'Plan it.', signal: go() });
    expect(result.answer).toBe('done');
    expect(result.delegations?.[0]).toMatchObject({ agent: 'child', stop_reason: 'end_turn' });

    fake.script((req) => {
      expect(offeredTools(req)).toEqual(['Read']);
      return answer([text('no delegation at depth 1 of 1')]);
    });
    const atLimit = await prepareAndRun(depsWith(1), { agent: parent, prompt: 'Plan it.', signal: go() });
    expect(atLimit.warnings).toEqual(['Agent is not offered: this run is 1 agent(s) deep and the limit is 1 (--max-depth).']);
    fake.assertComplete();
  });

  it('refuses a run whose incoming chain is too deep or would cycle, before any model call', async () => {
    const link = (agent: string) => ({ agent, run_id: `r-${agent}` });
    const deep = await prepareAndRun(depsWith(2), { agent: loner, prompt: 'x', signal: go(), chain: [link('a'), link('b')] });
    expect(deep).toMatchObject({ stopReason: 'error', turns: 0, error: { kind: 'depth_limit' } });
    expect(deep.error?.message).toContain('a → b → loner');
    const cycle = await prepareAndRun(depsWith(5), { agent: loner, prompt: 'x', signal: go(), chain: [link('loner')] });
    expect(cycle).toMatchObject({ stopReason: 'error', error: { kind: 'cycle' } });
    expect(fake.calls).toEqual([]);
    fake.assertComplete();
  });

  it('gives the parent an error it can act on when the nested run fails', async () => {
    fake.script(
      answer([toolUse('Agent', { description: 'do part', prompt: 'Do it.', subagent_type: 'child' }, 'tu_p')]),
      new ModelError('bad_request', 'The model API answered 400 (invalid_request_error): model not found', { status: 400 }),
      (req) => {
        const failed = lastToolResult(req);
        expect(failed.is_error).toBe(true);
        expect(JSON.stringify(failed.content)).toContain('Agent \\"child\\" did not complete: The model API answered 400 (invalid_request_error): model not found');
        return answer([text('recovered')]);
      },
    );
    const result = await prepareAndRun(depsWith(3), { agent: parent, prompt: 'Plan it.', signal: go() });
    expect(result.answer).toBe('recovered');
    expect(result.delegations?.[0]).toMatchObject({ agent: 'child', stop_reason: 'error' });
    fake.assertComplete();
  });

  it('offers no Agent tool to an agent that does not list it', async () => {
    fake.script((req) => {
      expect(offeredTools(req)).toEqual(['Read']);
      return answer([text('alone')]);
    });
    const result = await prepareAndRun(depsWith(3), { agent: loner, prompt: 'x', signal: go() });
    expect(result.delegations).toEqual([]);
    fake.assertComplete();
  });
});
