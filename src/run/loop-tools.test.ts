/**
 * What the loop does for the toolbox: server tools go in the request as typed definitions, a
 * `pause_turn` is sent back and continued, tool notices (the todo list) become run events, and the
 * run's tool scope is ended when the run ends. Real Anthropic client, fake Messages API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { reply, text, toolUse } from '../../test/fake-anthropic/steps.js';
import { createTodoWriteTool } from '../tools/todo/todo-write.js';
import type { Tool } from '../tools/tool.js';
import { textResult } from '../tools/tool.js';
import { createWebFetchTool, createWebSearchTool } from '../tools/web/web.js';
import { runLoop, type RunEvent, type RunOptions } from './loop.js';
import { runOptions, type RunOverrides } from '../../test/helpers/run-options.js';

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: 'k-loop-tools' });
});
afterAll(async () => {
  await fake.close();
});

function options(overrides: RunOverrides = {}): RunOptions {
  return runOptions({ url: fake.url, apiKey: 'k-loop-tools', maxRetries: 0 }, { tools: [createTodoWriteTool(), createWebSearchTool(), createWebFetchTool()], maxTurns: 5, ...overrides });
}

type Message = { role: string; content: Array<{ type: string; text?: string }> };

describe('server tools and pause_turn', () => {
  it('offers WebSearch and WebFetch as the API server tools, and continues a paused turn', async () => {
    fake.script(reply([text('Searching the web. ')], { stop_reason: 'pause_turn' }), (request) => {
      const messages = request.body.messages as Message[];
      expect(messages.map((m) => m.role)).toEqual(['user', 'assistant']);
      expect(messages[1]?.content[0]).toMatchObject({ type: 'text', text: 'Searching the web. ' });
      return reply([text('Found it.')]);
    });
    const result = await runLoop(options());
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'Searching the web. Found it.', turns: 2 });
    const tools = fake.requests.at(-2)?.body?.tools as Array<Record<string, unknown>>;
    expect(tools.map((t) => t['name'])).toEqual(['TodoWrite', 'web_search', 'web_fetch']);
    expect(tools[1]).toEqual({ type: 'web_search_20250305', name: 'web_search' });
    expect(tools[2]).toEqual({ type: 'web_fetch_20250910', name: 'web_fetch', cache_control: { type: 'ephemeral' } });
    expect(tools[0]).toHaveProperty('input_schema');
    fake.assertComplete();
  });

  it('joins only the paused turn\'s parts into the answer, not text of earlier tool turns', async () => {
    const todos = [{ content: 'Search', status: 'in_progress', activeForm: 'Searching' }];
    fake.script(
      reply([text('Let me plan. '), toolUse('TodoWrite', { todos })]),
      reply([text('Searching. ')], { stop_reason: 'pause_turn' }),
      reply([text('Found.')]),
    );
    expect(await runLoop(options())).toMatchObject({ stopReason: 'end_turn', answer: 'Searching. Found.', turns: 3 });
    fake.assertComplete();
  });

  it('sends no server tools when the agent has none', async () => {
    fake.script(reply([text('ok')]));
    await runLoop(options({ tools: [createTodoWriteTool()] }));
    const tools = fake.requests.at(-1)?.body?.tools as Array<Record<string, unknown>>;
    expect(tools.map((t) => t['name'])).toEqual(['TodoWrite']);
    fake.assertComplete();
  });
});

describe('TodoWrite through the loop', () => {
  it('returns the list to the model and reports it as a run event', async () => {
    const todos = [
      { content: 'Read the code', status: 'completed', activeForm: 'Reading the code' },
      { content: 'Fix the bug', status: 'in_progress', activeForm: 'Fixing the bug' },
    ];
    fake.script(reply([toolUse('TodoWrite', { todos }, 'toolu_todo')]), (request) => {
      const last = request.body.messages.at(-1) as { content: Array<{ content?: unknown; is_error?: boolean }> };
      expect(last.content[0]?.is_error).toBeUndefined();
      expect(JSON.stringify(last.content[0]?.content)).toContain('[x] Read the code');
      return reply([text('done')]);
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
    const registers: Tool = {
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
    fake.script(reply([toolUse('Registers', {})]), reply([text('bye')]));
    await runLoop(options({ tools: [registers], runId: 'run-scope' }));
    expect(ended).toEqual(['run-scope']);
    fake.assertComplete();
  });
});
