/**
 * The loop on a scripted model, in memory: tool calls and their results, continuations, stop
 * reasons, limits. What only the wire shows is in loop-anthropic.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { answer, createScriptedModel, text, toolUse, type ScriptedModel } from '../../test/helpers/scripted-model.js';
import { echoTool, loopOptions, type RunOverrides } from '../../test/helpers/run-options.js';
import type { ModelRequest } from './model.js';
import { textResult, type LocalTool } from '../tools/tool.js';
import { runLoop, type RunOptions } from './loop.js';

const echo = echoTool;
const broken: LocalTool = { ...echo, name: 'Broken', run: async () => Promise.reject(new Error('disk on fire')) };

function options(model: ScriptedModel, overrides: RunOverrides = {}): RunOptions {
  return loopOptions(model, { tools: [echo, broken], ...overrides });
}

type Block = { type: string; tool_use_id?: string; is_error?: boolean; content?: unknown; text?: string };
function lastUserBlocks(request: ModelRequest): Block[] {
  return (request.messages.at(-1)?.content ?? []) as Block[];
}

describe('runLoop', () => {
  it('runs several tool calls of one turn and feeds every result back, errors included', async () => {
    const model = createScriptedModel();
    model.script(answer([toolUse('Echo', { say: 'a' }, 't1'), toolUse('Broken', {}, 't2'), toolUse('Nope', {}, 't3')]), (req) => {
      const blocks = lastUserBlocks(req);
      expect(blocks.map((b) => [b.tool_use_id, b.is_error ?? false])).toEqual([
        ['t1', false],
        ['t2', true],
        ['t3', true],
      ]);
      expect(JSON.stringify(blocks[1]?.content)).toContain('disk on fire');
      expect(JSON.stringify(blocks[2]?.content)).toContain('not available to this agent');
      return answer([text('all done')]);
    });
    const result = await runLoop(options(model));
    expect(result).toMatchObject({ answer: 'all done', stopReason: 'end_turn', turns: 2, backend: 'scripted' });
    expect(result.costUsd).toBeGreaterThan(0);
    expect(model.calls).toHaveLength(2);
    model.assertComplete();
  });

  it('continues a turn cut at max_tokens and joins the text', async () => {
    const model = createScriptedModel();
    model.script(answer([text('first half, ')], { stopReason: 'max_tokens' }), (req) => {
      expect(JSON.stringify(lastUserBlocks(req))).toContain('cut off at the output-token limit');
      return answer([text('second half.')]);
    });
    const result = await runLoop(options(model));
    expect(result).toMatchObject({ answer: 'first half, second half.', stopReason: 'end_turn', turns: 2 });
    model.assertComplete();
  });

  it('ends a runaway run at the turn limit with the last text', async () => {
    const model = createScriptedModel();
    model.script(answer([text('working on it'), toolUse('Echo', { say: '1' })]), answer([text('still working'), toolUse('Echo', { say: '2' })]));
    const result = await runLoop(options(model, { maxTurns: 2 }));
    expect(result).toMatchObject({ stopReason: 'max_turns', turns: 2, answer: 'still working' });
    model.assertComplete();
  });

  it('ends on a refusal and keeps an unknown stop reason as `other`', async () => {
    const model = createScriptedModel();
    model.script(answer([text('I cannot help with that.')], { stopReason: 'refusal' }));
    expect(await runLoop(options(model))).toMatchObject({ stopReason: 'refusal', answer: 'I cannot help with that.' });
    model.script(answer([text('hm')], { stopReason: 'other', rawStopReason: 'a_future_reason' }));
    expect(await runLoop(options(model))).toMatchObject({ stopReason: 'other', rawStopReason: 'a_future_reason' });
    model.assertComplete();
  });

  it('ends as cancelled when the signal is aborted before the run, without calling the model', async () => {
    const model = createScriptedModel();
    const controller = new AbortController();
    controller.abort();
    const result = await runLoop(options(model, { signal: controller.signal }));
    expect(result).toMatchObject({ stopReason: 'cancelled', turns: 0 });
    expect(model.calls).toEqual([]);
    model.assertComplete();
  });

  it('stops at the dollar cap between turns, with the text so far', async () => {
    // 100k output tokens of claude-sonnet-5-5 cost $1, past a $0.50 cap.
    const model = createScriptedModel();
    model.script(answer([text('Looked at it.'), toolUse('Echo', { say: 'x' })], { usage: { output_tokens: 100_000 } }));
    const result = await runLoop(options(model, { maxCostUsd: 0.5 }));
    expect(result).toMatchObject({ stopReason: 'max_cost', turns: 1, answer: 'Looked at it.' });
    expect(result.costUsd).toBeGreaterThanOrEqual(1);
    model.assertComplete();
  });

  it('does not start a turn once the wall-clock limit has passed', async () => {
    let clock = 0;
    const model = createScriptedModel();
    model.script(answer([toolUse('Echo', { say: 'a' })]));
    const slowEcho: LocalTool = { ...echo, run: async () => ((clock += 5000), textResult('took 5 s')) };
    const result = await runLoop(options(model, { tools: [slowEcho], maxDurationMs: 4000, now: () => clock }));
    expect(result).toMatchObject({ stopReason: 'max_duration', turns: 1 });
    model.assertComplete();
  });
});

describe('the scripted model', () => {
  it('fails a run and assertComplete on a call nobody scripted', async () => {
    const model = createScriptedModel();
    const result = await runLoop(options(model));
    expect(result.stopReason).toBe('error');
    expect(() => model.assertComplete()).toThrow(/call 1 .* was not scripted/);
  });

  it('fails assertComplete when scripted turns were never asked for', () => {
    const model = createScriptedModel();
    model.script(answer([text('unused')]));
    expect(() => model.assertComplete()).toThrow(/1 scripted turn\(s\) were never asked for/);
  });
});
