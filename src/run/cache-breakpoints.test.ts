/**
 * Where the prompt-cache breakpoints are in the requests the fake Messages API received over a
 * multi-turn run: last tool, system prompt, newest message, and the user message that ended
 * the previous request; never more than the API's four.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { reply, text, toolUse } from '../../test/fake-anthropic/steps.js';
import type { Tool } from '../tools/tool.js';
import { textResult } from '../tools/tool.js';
import { createAnthropicClient } from './anthropic.js';
import { runLoop } from './loop.js';
import { TreeBudget } from './run-budget.js';

let fake: FakeAnthropic;
beforeAll(async () => {
  fake = await startFakeAnthropic();
});
afterAll(async () => {
  await fake.close();
});

const tool = (name: string): Tool => ({
  name,
  description: name,
  inputSchema: { type: 'object', properties: {} },
  kind: 'read',
  run: async () => textResult(`${name} ran`),
});

type Block = { type: string; cache_control?: unknown };
type Body = { tools: Array<{ name: string; cache_control?: unknown }>; system: Block[]; messages: Array<{ role: string; content: Block[] }> };

/** Every place in a request body that carries cache_control, as a readable path. */
function breakpoints(body: Body): string[] {
  const found: string[] = [];
  body.tools.forEach((t, i) => t.cache_control && found.push(`tools[${i}]`));
  body.system.forEach((b, i) => b.cache_control && found.push(`system[${i}]`));
  body.messages.forEach((m, i) => m.content.forEach((b, j) => b.cache_control && found.push(`messages[${i}].content[${j}]`)));
  return found;
}

describe('prompt caching', () => {
  it('places the breakpoints on the last tool, the system prompt and the last two user turns', async () => {
    fake.script(
      reply([toolUse('A', {}), toolUse('B', {})]),
      reply([text('one more'), toolUse('C', {})]),
      reply([text('done')]),
    );
    const result = await runLoop({
      agentName: 'cacher',
      system: 'You cache.',
      prompt: 'go',
      model: 'claude-sonnet-5-5',
      client: createAnthropicClient({ apiKey: 'k', baseURL: fake.url }),
      tools: [tool('A'), tool('B'), tool('C')],
      roots: ['/tmp'],
      budget: new TreeBudget({ maxTurns: 5 }),
      maxTokens: 1000,
      signal: new AbortController().signal,
    });
    expect(result.stopReason).toBe('end_turn');
    const bodies = fake.requests.map((r) => r.body as unknown as Body);
    expect(bodies.map(breakpoints)).toEqual([
      ['tools[2]', 'system[0]', 'messages[0].content[0]'],
      // Turn 2: the first user message (end of request 1) and the tool results (both blocks answered, last one marked).
      ['tools[2]', 'system[0]', 'messages[0].content[0]', 'messages[2].content[1]'],
      ['tools[2]', 'system[0]', 'messages[2].content[1]', 'messages[4].content[0]'],
    ]);
    for (const body of bodies) expect(breakpoints(body).length).toBeLessThanOrEqual(4);
    fake.assertComplete();
  });
});
