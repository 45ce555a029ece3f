/**
 * Tool inputs from the model, through the real loop: runLoop with the real file tools and the
 * real Anthropic SDK, talking to the fake Messages API. Each hostile input must come back to the
 * model as an `is_error` tool_result that names the problem (checked in the next request the
 * fake receives), short even when the input was huge, and the run must go on to its answer.
 */
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAnthropicClient } from '../../src/run/anthropic.js';
import { runLoop } from '../../src/run/loop.js';
import { type RunResult } from '../../src/run/result.js';
import { createFileTools } from '../../src/tools/files/registry.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { reply, text, toolUse } from '../fake-anthropic/steps.js';
import { textOfToolResult as textOf, toolResultsOf, type ToolResultBlock } from './tool-results.js';
import { TreeBudget } from '../../src/run/run-budget.js';

const KEY = 'k-reliability-tools';
const MIB = 1024 * 1024;
const HUGE = 'x'.repeat(MIB);
/** Longest tool_result text we accept for a refused input, however large the input was. */
const MAX_ERROR_CHARS = 5_000;

let fake: FakeAnthropic;
let ws: string;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  ws = await realpath(await mkdtemp(path.join(os.tmpdir(), 'reliability-tools-')));
  await writeFile(path.join(ws, 'a.txt'), 'hello\n');
});
afterAll(async () => {
  await fake.close();
  await rm(ws, { recursive: true, force: true });
});

async function run(): Promise<RunResult> {
  return runLoop({
    agentName: 'tester',
    system: 'You test tools.',
    prompt: 'go',
    model: 'claude-sonnet-5-5',
    client: createAnthropicClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 }),
    tools: createFileTools(),
    roots: [ws],
    budget: new TreeBudget({ maxTurns: 5 }),
    maxTokens: 1000,
    signal: new AbortController().signal,
  });
}

/** [what, tool, input, what the is_error text must say]. */
const REFUSED: Array<[string, string, unknown, RegExp]> = [
  ['wrong type', 'Read', { file_path: 42 }, /^Read: file_path: expected string, got number$/],
  ['wrong type (list for a string)', 'Glob', { pattern: ['*.ts'] }, /^Glob: pattern: expected string, got array$/],
  ['wrong type (string for a number)', 'Read', { file_path: 'a.txt', offset: '5' }, /^Read: offset: expected number, got string$/],
  ['wrong type (string for a boolean)', 'Grep', { pattern: 'x', '-i': 'yes' }, /^Grep: -i: expected boolean, got string$/],
  ['missing field (near-miss name)', 'Read', { path: 'a.txt' }, /^Read: file_path: required \(expected string\)$/],
  ['missing field (empty input)', 'Grep', {}, /^Grep: pattern: required/],
  ['input not an object (array)', 'LS', ['a.txt'], /^LS: input: expected object, got array$/],
  ['input not an object (null)', 'Read', null, /^Read: input: expected object, got null$/],
  ['out of range', 'Grep', { pattern: 'x', '-A': -1 }, /^Grep: -A: must be at least 0, got -1$/],
  ['not one of the choices', 'Grep', { pattern: 'x', output_mode: 'everything' }, /^Grep: output_mode: expected one of/],
  ['1 MiB path', 'Read', { file_path: HUGE }, /^Read: file_path: too long: 1048576 characters, at most 4096 allowed$/],
  ['1 MiB pattern (Glob)', 'Glob', { pattern: HUGE }, /^Glob: pattern: too long: 1048576 characters/],
  ['1 MiB pattern (Grep)', 'Grep', { pattern: HUGE }, /^Grep: pattern: too long: 1048576 characters/],
  ['1 MiB glob filter (Grep)', 'Grep', { pattern: 'x', glob: HUGE }, /^Grep: glob: too long/],
  ['NUL byte in a path (Read)', 'Read', { file_path: 'a.txt\u0000/etc/passwd' }, /^Read: .*contains a NUL byte/],
  ['NUL byte in a path (LS)', 'LS', { path: '.\u0000' }, /^LS: .*contains a NUL byte/],
  ['NUL byte in a path (Grep)', 'Grep', { pattern: 'x', path: 'a\u0000b' }, /^Grep: .*contains a NUL byte/],
  ['NUL byte in a Grep pattern', 'Grep', { pattern: 'a\u0000b' }, /^Grep: .*(NUL|null byte)/i],
  ['NUL byte in the folder part of a Glob pattern', 'Glob', { pattern: 'sub\u0000dir/*.txt' }, /^Glob: .*contains a NUL byte/],
  // The matcher skipped the NUL and matched a.txt before: a wrong answer, not a refusal.
  ['NUL byte in the wildcard part of a Glob pattern', 'Glob', { pattern: '*\u0000.txt' }, /^Glob: pattern .* contains a NUL byte/],
  ['a tool this agent does not have', 'Bash', { command: 'id' }, /^Tool "Bash" is not available to this agent\. Available tools: Read, LS, Glob, Grep\.$/],
  ['a 1 MiB tool name', `T${HUGE}`, {}, /^Tool "Tx{99}…" \(1048577 characters\) is not available to this agent/],
];

describe('hostile tool input from the model', () => {
  it.each(REFUSED)('%s → an is_error result naming the problem, and the run goes on', async (_what, tool, input, message) => {
    let results: ToolResultBlock[] = [];
    fake.script(reply([text('Calling a tool.'), toolUse(tool, input as Record<string, unknown>, 'toolu_bad')]), (request) => {
      results = toolResultsOf(request);
      return reply([text('I will not do that again.')]);
    });

    const result = await run();

    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'I will not do that again.', turns: 2 });
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ tool_use_id: 'toolu_bad', is_error: true });
    const said = textOf(results[0]);
    expect(said).toMatch(message);
    expect(said.length).toBeLessThanOrEqual(MAX_ERROR_CHARS);
    fake.assertComplete();
  });

  it('ignores extra fields the tool does not know and runs it', async () => {
    let results: ToolResultBlock[] = [];
    fake.script(reply([toolUse('Read', { file_path: 'a.txt', pages: '1-2', bogus: { deep: [1, 2] }, [HUGE.slice(0, 1000)]: 1 }, 'toolu_extra')]), (request) => {
      results = toolResultsOf(request);
      return reply([text('read it')]);
    });
    expect(await run()).toMatchObject({ stopReason: 'end_turn', turns: 2 });
    expect(results[0]?.is_error).toBeUndefined();
    expect(textOf(results[0])).toBe('     1\thello');
    fake.assertComplete();
  });

  it('answers every bad call of one turn on its own, keeping the good one', async () => {
    const calls = REFUSED.slice(0, 8).map(([, tool, input], i) => toolUse(tool, input as Record<string, unknown>, `toolu_${i}`));
    let results: ToolResultBlock[] = [];
    fake.script(reply([...calls, toolUse('Read', { file_path: 'a.txt' }, 'toolu_good')]), (request) => {
      results = toolResultsOf(request);
      return reply([text('done')]);
    });
    expect(await run()).toMatchObject({ stopReason: 'end_turn', answer: 'done', turns: 2 });
    expect(results.map((r) => [r.tool_use_id, r.is_error === true])).toEqual([
      ...calls.map((_, i) => [`toolu_${i}`, true]),
      ['toolu_good', false],
    ]);
    expect(textOf(results.at(-1))).toBe('     1\thello');
    fake.assertComplete();
  });
});
