/**
 * Checkpoints of a durable run on a scripted model: one before a turn's tools run (tools in
 * flight) and one after their results; a run carried on from a checkpoint with tools in flight
 * answers those calls as interrupted and never runs them again.
 */
import { describe, expect, it } from 'vitest';
import { answer, createScriptedModel, text, toolUse } from '../../test/helpers/scripted-model.js';
import { echoTool, loopOptions } from '../../test/helpers/run-options.js';
import type { Tool } from '../tools/tool.js';
import { INTERRUPTED_TOOL_CALL, RunCheckpointSchema, type RunCheckpoint } from './checkpoint.js';
import { runLoop } from './loop.js';

describe('durable runs', () => {
  it('checkpoints before a turn\'s tools run and after their results, with usage, cost and turns', async () => {
    const model = createScriptedModel();
    model.script(answer([toolUse('Echo', { say: 'a' }, 't1')]), answer([text('done')]));
    const saved: RunCheckpoint[] = [];
    const result = await runLoop(loopOptions(model, { tools: [echoTool], checkpoints: { save: async (cp) => void saved.push(structuredClone(cp)) } }));
    expect(result.answer).toBe('done');
    expect(saved.map((cp) => [cp.turns, cp.toolsInFlight, cp.messages.length])).toEqual([
      [1, true, 2],
      [1, false, 3],
    ]);
    expect(saved[1]).toMatchObject({ runId: result.runId, usage: { input_tokens: 10, output_tokens: 10 } });
    expect(saved[1]!.costUsd).toBeGreaterThan(0);
    expect(saved[1]!.prefix.tools.map((t) => t.name)).toEqual(['Echo']);
    // What a replica writes, another reads back.
    expect(RunCheckpointSchema.safeParse(JSON.parse(JSON.stringify(saved[1]))).success).toBe(true);
  });

  it('carries a run on from a checkpoint with tools in flight: the calls are reported interrupted, not run again', async () => {
    let ran = 0;
    const counting: Tool = { ...echoTool, run: async (input, ctx) => ((ran += 1), echoTool.run(input, ctx)) };
    const first = createScriptedModel();
    first.script(answer([text('editing'), toolUse('Echo', { say: 'once' }, 't1')]));
    const saved: RunCheckpoint[] = [];
    // The first process stops (here: its signal aborts) while the tool call is in flight.
    const controller = new AbortController();
    await runLoop(loopOptions(first, { tools: [counting], signal: controller.signal, checkpoints: { save: async (cp) => {
      saved.push(structuredClone(cp));
      if (cp.toolsInFlight) controller.abort(new Error('the replica stopped'));
    } } }));
    expect(saved.at(-1)?.toolsInFlight).toBe(true);
    const ranBefore = ran;

    const second = createScriptedModel();
    second.script((request) => {
      const blocks = request.messages.at(-1)?.content as Array<{ type: string; tool_use_id?: string; is_error?: boolean; content?: unknown }>;
      expect(blocks).toEqual([{ type: 'tool_result', tool_use_id: 't1', content: [{ type: 'text', text: INTERRUPTED_TOOL_CALL }], is_error: true }]);
      return answer([text('checked and finished')]);
    });
    const from = saved.at(-1)!;
    const result = await runLoop(loopOptions(second, { tools: [counting], checkpoints: { from, save: async () => undefined } }));
    expect(result).toMatchObject({ answer: 'checked and finished', runId: from.runId, turns: 2 });
    expect(ran).toBe(ranBefore);
    expect(result.usage.input_tokens).toBe(20);
    second.assertComplete();
  });
});
