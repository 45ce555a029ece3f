import { describe, expect, it } from 'vitest';
import { describeStep, writingLine } from './step-summary.js';

describe('describeStep', () => {
  it('puts each step of a run in a few words', () => {
    expect(describeStep({ type: 'queued', position: 3 })).toBe('queued (position 3)');
    expect(describeStep({ type: 'started', runId: 'r', agent: 'reviewer', model: 'claude-opus-5-5' })).toBe('reviewer started on claude-opus-5-5');
    expect(describeStep({ type: 'turn_start', turn: 4 })).toBe('turn 4: waiting for the model');
    expect(describeStep({ type: 'tool_start', name: 'Grep', input: { pattern: 'TODO', path: 'src' } })).toBe('Grep "TODO" in src');
    expect(describeStep({ type: 'tool_end', name: 'Grep', isError: true })).toBe('Grep failed');
  });

  it('shows the todo list and a tool\'s own progress', () => {
    const todos = [
      { content: 'Read the code', status: 'completed' as const, activeForm: 'Reading the code' },
      { content: 'Fix the bug', status: 'in_progress' as const, activeForm: 'Fixing the bug' },
      { content: 'Run the tests', status: 'pending' as const, activeForm: 'Running the tests' },
    ];
    expect(describeStep({ type: 'todos', runId: 'r', todos })).toBe('todos 1/3 done — Fixing the bug');
    expect(describeStep({ type: 'tool_progress', name: 'mcp__x__y', progress: 2, total: 5 })).toBe('mcp__x__y: 2/5');
    expect(describeStep({ type: 'tool_progress', name: 'Agent', progress: 1, message: 'child: turn 1' })).toBe('Agent: child: turn 1');
  });

  it('leaves streamed text to the writing line, which counts characters', () => {
    expect(describeStep({ type: 'text', text: 'hello' })).toBeUndefined();
    expect(writingLine(2, 1234)).toBe('turn 2: writing (1234 characters)');
  });
});
