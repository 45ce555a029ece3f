import { describe, expect, it } from 'vitest';
import { displayPath, summarizeToolCall, TOOL_SUMMARY_MAX_CHARS } from './tool-input-summary.js';

describe('summarizeToolCall', () => {
  it('shows the field that says what the call is about', () => {
    expect(summarizeToolCall('Read', { file_path: '/ws/notes.txt', limit: 10 })).toBe('Read /ws/notes.txt');
    expect(summarizeToolCall('Bash', { command: 'npm test', timeout: 5 })).toBe('Bash npm test');
    expect(summarizeToolCall('Grep', { pattern: 'TODO', path: 'src' })).toBe('Grep "TODO" in src');
  });

  it('shows paths inside the workspace relative to it, and paths outside as written', () => {
    expect(summarizeToolCall('Read', { file_path: '/a/very/long/ws/src/index.ts' }, '/a/very/long/ws')).toBe('Read src/index.ts');
    expect(summarizeToolCall('Grep', { pattern: 'x', path: '/a/ws/src' }, '/a/ws')).toBe('Grep "x" in src');
    expect(summarizeToolCall('LS', { path: '/a/ws' }, '/a/ws')).toBe('LS .');
    expect(summarizeToolCall('Read', { file_path: '/etc/hosts' }, '/a/ws')).toBe('Read /etc/hosts');
    expect(displayPath('/a/wsx/f', '/a/ws')).toBe('/a/wsx/f');
  });

  it('puts what a command is for in parentheses instead of joining it with "in"', () => {
    expect(summarizeToolCall('Bash', { command: 'ls -la', description: 'list files' })).toBe('Bash ls -la (list files)');
    expect(summarizeToolCall('Agent', { subagent_type: 'reviewer', prompt: 'look', description: 'review the diff' })).toBe('Agent reviewer (review the diff)');
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
