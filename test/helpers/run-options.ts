/** RunOptions for loop tests: the real Anthropic client pointed at the fake Messages API. */
import { createAnthropicClient } from '../../src/run/anthropic.js';
import type { RunLimits } from '../../src/run/limits.js';
import type { RunOptions } from '../../src/run/loop.js';
import type { ModelClient } from '../../src/run/model.js';
import { TreeBudget } from '../../src/run/run-budget.js';
import { textResult, type LocalTool } from '../../src/tools/tool.js';

/** A tool that answers `echo: <say>`. */
export const echoTool: LocalTool = {
  name: 'Echo',
  description: 'echo',
  inputSchema: { type: 'object', properties: { say: { type: 'string' } } },
  kind: 'read',
  run: async (input) => textResult(`echo: ${(input as { say?: string }).say ?? ''}`),
};

/** What a test may override of a run: any option, and limits given alone (they become the run's budget). */
export type RunOverrides = Partial<RunOptions> & Partial<RunLimits>;

/** Options for one run of `tester` on the real Anthropic client pointed at the fake Messages API. */
export function runOptions(fake: { url: string; apiKey: string; maxRetries?: number }, overrides: RunOverrides = {}): RunOptions {
  return loopOptions(createAnthropicClient({ apiKey: fake.apiKey, baseURL: fake.url, maxRetries: fake.maxRetries ?? 2 }), overrides);
}

/** Options for one run of `tester` on `client` (e.g. a scripted model), overridable field by field; default 10 turns. */
export function loopOptions(client: ModelClient, overrides: RunOverrides = {}): RunOptions {
  const { maxTurns = 10, maxDurationMs, maxCostUsd, ...rest } = overrides;
  const limits: RunLimits = { maxTurns, ...(maxDurationMs !== undefined ? { maxDurationMs } : {}), ...(maxCostUsd !== undefined ? { maxCostUsd } : {}) };
  return {
    agentName: 'tester',
    system: 'You test.',
    prompt: 'go',
    model: 'claude-sonnet-5-5',
    client,
    tools: [echoTool],
    roots: ['/tmp'],
    maxTokens: 1000,
    signal: new AbortController().signal,
    budget: new TreeBudget(limits),
    ...rest,
  };
}
