import { describe, expect, it } from 'vitest';
import { summarizeToolCall, TOOL_SUMMARY_MAX_CHARS } from './tool-input-summary.js';

describe('summarizeToolCall', () => {
  it('shows the field that says what the call is about', () => {
    expect(summarizeToolCall('Read', { file_path: '/ws/notes.txt', limit: 10 })).toBe('Read /ws/notes.txt');
    expect(summarizeToolCall('Bash', { command: 'npm test', timeout: 5 })).toBe('Bash npm test');
    expect(summarizeToolCall('Grep', { pattern: 'TODO', path: 'src' })).toBe('Grep "TODO" in src');
  });

  it('falls back to compact JSON, and to the name alone', () => {
    expect(summarizeToolCall('mcp__memory__create', { entities: [1] })).toBe('mcp__memory__create {"entities":[1]}');
    expect(summarizeToolCall('TodoWrite', {})).toBe('TodoWrite');
    expect(summarizeToolCall('X', 'not an object')).toBe('X');
  });

  it('never exceeds the length limit and keeps to one line', () => {
    const out = summarizeToolCall('Bash', { command: `echo ${'x'.repeat(500)}\nrm -rf /` });
    expect(out.length).toBeLessThanOrEqual(TOOL_SUMMARY_MAX_CHARS);
    expect(out).not.toContain('\n');
  });
});
