import { describe, expect, it } from 'vitest';
import { readRunReport } from './delegation-node.js';

const usage = { input_tokens: 10, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
const report = { answer: 'x', run_id: 'r1', agent: 'pong', model: 'm', stop_reason: 'end_turn', usage, cost_usd: 0.5, turns: 2 };

describe('readRunReport', () => {
  it('reads an agents-mcp structuredContent as a node, nested runs included', () => {
    const nested = { ...report, delegations: [{ agent: 'child', run_id: 'r2', model: 'm', stop_reason: 'end_turn', usage, cost_usd: 0.1, delegations: [] }] };
    expect(readRunReport(nested)).toEqual({
      agent: 'pong',
      run_id: 'r1',
      model: 'm',
      stop_reason: 'end_turn',
      usage,
      cost_usd: 0.5,
      delegations: [{ agent: 'child', run_id: 'r2', model: 'm', stop_reason: 'end_turn', usage, cost_usd: 0.1, delegations: [] }],
    });
  });

  it('takes a report without delegations (an older agents-mcp) as a leaf', () => {
    expect(readRunReport(report)?.delegations).toEqual([]);
  });

  it('ignores structured output that is not a run report, and trees nested beyond the bound', () => {
    expect(readRunReport({ temperature: 33 })).toBeUndefined();
    expect(readRunReport(undefined)).toBeUndefined();
    let deep: Record<string, unknown> = { ...report, delegations: [] };
    for (let i = 0; i < 40; i++) deep = { ...report, delegations: [deep] };
    expect(readRunReport(deep)).toBeUndefined();
  });
});
