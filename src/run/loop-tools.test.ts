/**
 * What the loop does for the toolbox: server tools go in the request as typed definitions, a
 * `pause_turn` is sent back and continued, tool notices (the todo list) become run events, and the
 * run's tool scope is ended when the run ends. On a scripted in-memory model that runs server
 * tools, as the Anthropic backend does (how they look on the wire: cache-breakpoints.test.ts).
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { answer, createScriptedModel, lastToolResult, text, toolUse, type ScriptedModel } from '../../test/helpers/scripted-model.js';
import { createTodoWriteTool } from '../tools/todo/todo-write.js';
import type { LocalTool } from '../tools/tool.js';
import { textResult } from '../tools/tool.js';
import { createWebFetchTool, createWebSearchTool } from '../tools/web/web.js';
import { runLoop, type RunEvent, type RunOptions } from './loop.js';
import { loopOptions, type RunOverrides } from '../../test/helpers/run-options.js';

let fake: ScriptedModel;
beforeEach(() => {
  fake = createScriptedModel({ runsServerTools: true });
});

function options(overrides: RunOverrides = {}): RunOptions {
  return loopOptions(fake, { tools: [createTodoWriteTool(), createWebSearchTool(), createWebFetchTool()], maxTurns: 5, ...overrides });
}

describe('server tools and pause_turn', () => {
  it('offers WebSearch and WebFetch as the API server tools, and continues a paused turn', async () => {
    fake.script(answer([text('Searching the web. ')], { stopReason: 'pause_turn' }), (request) => {
      expect(request.messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(request.messages[1]?.content[0]).toMatchObject({ type: 'text', text: 'Searching the web. ' });
      return answer([text('Found it.')]);
    });
    const result = await runLoop(options());
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'Searching the web. Found it.', turns: 2 });
    const first = fake.calls[0];
    expect(first?.tools.map((t) => t.name)).toEqual(['TodoWrite']);
    expect(first?.tools[0]).toHaveProperty('input_schema');
    expect(first?.serverTools).toEqual([
      { type: 'web_search_20250305', name: 'web_search' },
      { type: 'web_fetch_20250910', name: 'web_fetch' },
    ]);
    fake.assertComplete();
  });

  it('joins only the paused turn\'s parts into the answer, not text of earlier tool turns', async () => {
    const todos = [{ content: 'Search', status: 'in_progress', activeForm: 'Searching' }];
    fake.script(
      answer([text('Let me plan. '), toolUse('TodoWrite', { todos })]),
      answer([text('Searching. ')], { stopReason: 'pause_turn' }),
      answer([text('Found.')]),
    );
    expect(await runLoop(options())).toMatchObject({ stopReason: 'end_turn', answer: 'Searching. Found.', turns: 3 });
    fake.assertComplete();
  });

  it('sends no server tools when the agent has none', async () => {
    fake.script(answer([text('ok')]));
    await runLoop(options({ tools: [createTodoWriteTool()] }));
    expect(fake.calls[0]?.tools.map((t) => t.name)).toEqual(['TodoWrite']);
    expect(fake.calls[0]?.serverTools).toBeUndefined();
    fake.assertComplete();
  });
});

describe('TodoWrite through the loop', () => {
  it('returns the list to the model and reports it as a run event', async () => {
    const todos = [
      { content: 'Read the code', status: 'completed', activeForm: 'Reading the code' },
      { content: 'Fix the bug', status: 'in_progress', activeForm: 'Fixing the bug' },
    ];
    fake.script(answer([toolUse('TodoWrite', { todos }, 'toolu_todo')]), (request) => {
      const result = lastToolResult(request);
      expect(result.is_error).toBeUndefined();
      expect(JSON.stringify(result.content)).toContain('[x] Read the code');
      return answer([text('done')]);
    });
    const events: RunEvent[] = [];
    const result = await runLoop(options({ runId: 'run-todo', onEvent: (e) => events.push(e) }));
    expect(result.stopReason).toBe('end_turn');
    expect(events.filter((e) => e.type === 'todos')).toEqual([{ type: 'todos', runId: 'run-todo', todos }]);
    fake.assertComplete();
  });
});

describe('the run scope', () => {
  it('ends when the run ends, running what tools registered', async () => {
    const ended: string[] = [];
    const registers: LocalTool = {
      name: 'Registers',
      description: 'registers cleanup',
      inputSchema: { type: 'object' },
      kind: 'read',
      run: async (_input, ctx) => {
        ctx.scope?.onEnd(() => {
          ended.push(ctx.runId);
        });
        return textResult('registered');
      },
    };
    fake.script(answer([toolUse('Registers', {})]), answer([text('bye')]));
    await runLoop(options({ tools: [registers], runId: 'run-scope' }));
    expect(ended).toEqual(['run-scope']);
    fake.assertComplete();
  });
});
