/**
 * The loop's limits, cancellation and resume, on a scripted in-memory model (what the Anthropic
 * client does when a run stops mid-turn: loop-anthropic.test.ts).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { answer, createScriptedModel, hang, text, toolUse, type ScriptedModel } from '../../test/helpers/scripted-model.js';
import type { LocalTool } from '../tools/tool.js';
import { textResult } from '../tools/tool.js';
import { runLoop, type RunOptions } from './loop.js';
import { echoTool, loopOptions, type RunOverrides } from '../../test/helpers/run-options.js';

let fake: ScriptedModel;
beforeEach(() => {
  fake = createScriptedModel();
});
afterEach(() => {
  fake.assertComplete();
});

const echo = echoTool;

function options(overrides: RunOverrides = {}): RunOptions {
  return loopOptions(fake, { ...overrides });
}

describe('limits', () => {
  it('stops at the wall-clock limit mid-turn and keeps the text streamed so far', async () => {
    fake.script((request, events, signal) => {
      events({ type: 'text', text: 'Half an ans' });
      return hang()(request, events, signal);
    });
    const result = await runLoop(options({ maxDurationMs: 200 }));
    expect(result).toMatchObject({ stopReason: 'max_duration', answer: 'Half an ans', turns: 1 });
  });
});

describe('cancellation', () => {
  it('ends cancelled with the usage of the finished turns when the caller cancels mid-turn', async () => {
    const controller = new AbortController();
    fake.script(answer([toolUse('Echo', { say: 'a' })], { usage: { input_tokens: 40, output_tokens: 7 } }), (request, events, signal) => {
      controller.abort();
      return hang()(request, events, signal);
    });
    const result = await runLoop(options({ signal: controller.signal }));
    expect(result).toMatchObject({ stopReason: 'cancelled', turns: 2 });
    expect(result.usage).toMatchObject({ input_tokens: 40, output_tokens: 7 });
  });

  it('stops a running tool through its signal and keeps the history valid for resume', async () => {
    const controller = new AbortController();
    let toolSawAbort = false;
    const waiting: LocalTool = {
      ...echo,
      name: 'Wait',
      run: (_input, ctx) =>
        new Promise((resolve) => {
          ctx.signal.addEventListener('abort', () => {
            toolSawAbort = true;
            resolve(textResult('stopped', true));
          });
          controller.abort();
        }),
    };
    fake.script(answer([toolUse('Wait', {}, 'tw')]));
    const result = await runLoop(options({ tools: [waiting], signal: controller.signal }));
    expect(result.stopReason).toBe('cancelled');
    expect(toolSawAbort).toBe(true);
    expect(result.messages?.map((m) => m.role)).toEqual(['user', 'assistant', 'user']);
  });
});


describe('resume', () => {
  it('continues an earlier conversation with the follow-up as the next user input', async () => {
    fake.script(answer([text('First answer.')]));
    const first = await runLoop(options({ prompt: 'question one' }));
    fake.script((req) => {
      const roles = req.messages.map((m) => m.role);
      expect(roles).toEqual(['user', 'assistant', 'user']);
      expect(JSON.stringify(req.messages[1])).toContain('First answer.');
      expect(JSON.stringify(req.messages[2])).toContain('question two');
      return answer([text('Second answer.')]);
    });
    const second = await runLoop(options({ prompt: 'question two', history: first.messages ?? [] }));
    expect(second).toMatchObject({ stopReason: 'end_turn', answer: 'Second answer.' });
    expect(second.messages).toHaveLength(4);
  });
});
