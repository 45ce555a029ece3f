/**
 * What a run reports for the outcomes the real Messages API has — stop reasons, error types,
 * effort, thinking blocks sent back after max_tokens and pause_turn, restarts that back off —
 * against the strict fake and the real SDK. (What a run costs: loop-cost.test.ts.)
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { apiError, reply, startFakeAnthropic, streamError, text, thinking, toolUse, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { agentFromText } from '../../test/helpers/agents.js';
import { echoTool, runOptions } from '../../test/helpers/run-options.js';
import { DEFAULT_MODEL_ALIASES } from '../agents/models.js';
import { createLogger } from '../log.js';
import { createWebSearchTool } from '../tools/web/web.js';
import { createAnthropicClient } from './anthropic.js';
import { prepareAndRun, type RunDeps } from './prepare-and-run.js';
import { runLoop, type RunOptions } from './loop.js';
import type { ModelClient } from './model.js';
import { describeStop, REFUSAL_WITHOUT_EXPLANATION } from './stop-message.js';

const KEY = 'k-test-outcomes';
let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
});
afterAll(async () => {
  await fake.close();
});
afterEach(() => {
  fake.assertComplete();
});

const options = (overrides: Partial<RunOptions> = {}): RunOptions => runOptions({ url: fake.url, apiKey: KEY, maxRetries: 0 }, overrides);

function deps(overrides: Partial<RunDeps['settings']> = {}): RunDeps {
  return {
    settings: { defaultModel: 'claude-sonnet-5-5', modelAliases: DEFAULT_MODEL_ALIASES, maxTurns: 5, maxOutputTokens: 1000, roots: ['/tmp'], ...overrides },
    tools: [],
    client: createAnthropicClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 }),
    logger: createLogger({ level: 'silent' }),
  };
}
const go = (): AbortSignal => new AbortController().signal;

describe('stop reasons', () => {
  it('reads a full context window as such, not as an unknown reason', async () => {
    fake.script(reply([text('The summary so f')], { stop_reason: 'model_context_window_exceeded' }));
    const result = await runLoop(options());
    expect(result).toMatchObject({ stopReason: 'model_context_window_exceeded', answer: 'The summary so f' });
    const said = describeStop(result);
    expect(said?.message).toContain("filled the model's context window");
    expect(said?.advice).toContain('larger context window');
  });

  it('shows a refusal\'s explanation and category, or our own sentence when the API gives none', async () => {
    fake.script(reply([text('No.')], { stop_reason: 'refusal', stop_details: { category: 'bio', explanation: 'This could enable biological harm.' } }));
    const explained = await runLoop(options());
    expect(explained).toMatchObject({ stopReason: 'refusal', refusal: { category: 'bio', explanation: 'This could enable biological harm.' } });
    expect(describeStop(explained)?.message).toBe('declined the task (category: bio): This could enable biological harm.');

    fake.script(reply([text('No.')], { stop_reason: 'refusal' }));
    const bare = await runLoop(options());
    expect(describeStop(bare)?.message).toBe(`declined the task: ${REFUSAL_WITHOUT_EXPLANATION}`);
  });

  it('sends a max_tokens turn back exactly, thinking block included, and answers its cut-off tool call', async () => {
    fake.script(
      reply([thinking('Long thoughts about the answer.'), text('The first half, '), toolUse('Echo', { say: 'cut' }, 'tu_cut')], { stop_reason: 'max_tokens' }),
      (req) => {
        const [assistant, user] = req.body.messages.slice(-2);
        expect(assistant?.content).toMatchObject([{ type: 'thinking', thinking: 'Long thoughts about the answer.' }, { type: 'text' }, { type: 'tool_use', id: 'tu_cut' }]);
        expect(user?.content).toMatchObject([{ type: 'tool_result', tool_use_id: 'tu_cut', is_error: true }, { type: 'text' }]);
        return text('the second half.');
      },
    );
    const result = await runLoop(options());
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'The first half, the second half.' });
  });

  it('sends a pause_turn turn back exactly, thinking block included', async () => {
    fake.script(reply([thinking('I will search.'), text('Searching… ')], { stop_reason: 'pause_turn' }), text('Found it.'));
    const result = await runLoop(options());
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'Searching… Found it.' });
  });
});

describe('API errors', () => {
  it.each([
    ['billing_error', 'billing', 'add credit'],
    ['not_found_error', 'not_found', 'agents-mcp validate'],
    ['request_too_large', 'request_too_large', 'start a new run'],
    ['permission_error', 'permission', 'model access'],
  ] as const)('tells %s apart with its own advice', async (type, kind, advice) => {
    fake.script(apiError(type));
    const result = await runLoop(options({ model: 'claude-nope-1' }));
    expect(result).toMatchObject({ stopReason: 'error', error: { kind } });
    expect(result.error?.advice).toContain(advice);
    if (kind === 'not_found') expect(result.error?.message).toContain('model "claude-nope-1"');
  });

  it('backs off between restarts of a stream that broke mid-way, doubling, and waits as long as retry-after asks', async () => {
    const waits: number[] = [];
    const client = createAnthropicClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 0, sleep: async (ms) => void waits.push(ms) });
    fake.script(streamError(), streamError(), text('made it'));
    expect(await runLoop(options({ client }))).toMatchObject({ stopReason: 'end_turn', answer: 'made it' });
    expect(waits).toEqual([500, 1000]);

    waits.length = 0;
    fake.script(streamError({ type: 'overloaded_error', message: 'Overloaded' }, { retryAfter: 7 }), text('after the wait'));
    expect(await runLoop(options({ client }))).toMatchObject({ answer: 'after the wait' });
    expect(waits).toEqual([7000]);
  });
});

describe('effort', () => {
  it('sends the agent\'s effort as output_config.effort', async () => {
    fake.script((req) => {
      expect((req.body as { output_config?: unknown }).output_config).toEqual({ effort: 'high' });
      return text('ok');
    });
    const agent = agentFromText('name: thinker\ndescription: Thinks hard.\neffort: high');
    expect(await prepareAndRun(deps(), { agent, prompt: 'go', signal: go() })).toMatchObject({ stopReason: 'end_turn' });
  });

  it('never sends an effort the API does not document, and validate reports it', async () => {
    fake.script((req) => {
      expect(req.body).not.toHaveProperty('output_config');
      return text('ok');
    });
    const agent = agentFromText('name: eager\ndescription: Too eager.\neffort: extreme');
    expect(agent.warnings.map((w) => w.reason).join('\n')).toContain('effort must be one of low, medium, high, xhigh, max');
    expect(await prepareAndRun(deps(), { agent, prompt: 'go', signal: go() })).toMatchObject({ stopReason: 'end_turn' });
  });
});

describe('web tools on a backend that cannot run them', () => {
  it('runs without them and says so in the result', async () => {
    const sent: unknown[] = [];
    const sampling: ModelClient = {
      backend: 'sampling',
      turn: async (req) => {
        sent.push(req.serverTools);
        return { content: [{ type: 'text', text: 'ok' }], stopReason: 'end_turn', rawStopReason: 'endTurn', usage: { input_tokens: 1, output_tokens: 1, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 }, model: 'claude-sonnet-5-5' };
      },
    };
    const result = await runLoop(options({ client: sampling, tools: [echoTool, createWebSearchTool()] }));
    expect(sent).toEqual([undefined]);
    expect(result.warnings.join('\n')).toContain("WebSearch runs on the Anthropic API's side and cannot run on the sampling backend");
  });
});
