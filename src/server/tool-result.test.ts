import { describe, expect, it } from 'vitest';
import type { RunResult } from '../run/result.js';
import { emptyUsage } from '../run/usage.js';
import { toCallToolResult, toStructuredContent } from './tool-result.js';

function result(overrides: Partial<RunResult>): RunResult {
  return {
    answer: 'The answer.',
    runId: 'r1',
    agent: 'tester',
    model: 'claude-sonnet-5-5',
    backend: 'anthropic',
    stopReason: 'end_turn',
    turns: 1,
    usage: emptyUsage(),
    costUsd: 0,
    durationMs: 1,
    warnings: [],
    ...overrides,
  };
}

describe('toCallToolResult', () => {
  it('returns the answer of a run that ended normally', () => {
    expect(toCallToolResult(result({}))).toMatchObject({ content: [{ type: 'text', text: 'The answer.' }] });
    expect(toCallToolResult(result({})).isError).toBeUndefined();
  });

  it('calls a run that ended without any text an error, saying what to do', () => {
    const out = toCallToolResult(result({ answer: '  ', turns: 3 }));
    expect(out.isError).toBe(true);
    expect(out.content).toEqual([{ type: 'text', text: expect.stringMatching(/ended without an answer.*3 turn\(s\).*Call it again/) }]);
  });

  it('names an unknown stop reason, says what to do and keeps the partial answer', () => {
    const out = toCallToolResult(result({ stopReason: 'other', rawStopReason: 'banana', answer: 'partial' }));
    expect(out.isError).toBe(true);
    expect(out.content).toEqual([{ type: 'text', text: expect.stringMatching(/stop_reason: banana[\s\S]*Try again[\s\S]*partial$/) }]);
  });

  it('says a full context window is full and a refusal why, with its category in structuredContent', () => {
    const full = toCallToolResult(result({ stopReason: 'model_context_window_exceeded', answer: 'cut' }));
    expect(full.isError).toBe(true);
    expect(full.content).toEqual([{ type: 'text', text: expect.stringContaining("filled the model's context window") }]);
    const refused = toCallToolResult(result({ stopReason: 'refusal', refusal: { category: 'cyber', explanation: 'Looks like malware.' } }));
    expect(refused.content).toEqual([{ type: 'text', text: expect.stringContaining('declined the task (category: cyber): Looks like malware.') }]);
    expect(refused.structuredContent).toMatchObject({ stop_details: { category: 'cyber', explanation: 'Looks like malware.' } });
  });

  it('keeps structuredContent lean: no warnings or delegation fields when the run has none', () => {
    expect(Object.keys(toStructuredContent(result({})))).toEqual(['answer', 'run_id', 'agent', 'model', 'backend', 'stop_reason', 'turns', 'usage', 'cost_usd', 'duration_ms']);
    const warned = toStructuredContent(result({ warnings: ['Upstream MCP server "x" is unavailable'] }));
    expect(warned['warnings']).toEqual(['Upstream MCP server "x" is unavailable']);
  });

  it('adds the delegation tree and its totals when the run delegated', () => {
    const child = { agent: 'helper', run_id: 'r2', model: 'm', stop_reason: 'end_turn', usage: { ...emptyUsage(), input_tokens: 5 }, cost_usd: 0.5, delegations: [] };
    const sc = toStructuredContent(result({ costUsd: 1, usage: { ...emptyUsage(), input_tokens: 10 }, delegations: [child] }));
    expect(sc).toMatchObject({ delegations: [child], total_cost_usd: 1.5, total_usage: { input_tokens: 15 } });
  });
});
