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

  it('leaves streamed text to the writing line, which counts characters', () => {
    expect(describeStep({ type: 'text', text: 'hello' })).toBeUndefined();
    expect(writingLine(2, 1234)).toBe('turn 2: writing (1234 characters)');
  });
});
