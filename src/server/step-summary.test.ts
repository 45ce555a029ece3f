import { describe, expect, it } from 'vitest';
import { summarizeToolInput } from './step-summary.js';

describe('summarizeToolInput', () => {
  it('picks the most telling field of a tool input', () => {
    expect(summarizeToolInput({ pattern: 'TODO', path: 'src' })).toBe('src');
    expect(summarizeToolInput({ pattern: 'TODO', glob: '*.ts' })).toBe('TODO');
    expect(summarizeToolInput({ command: 'npm   test\n--silent' })).toBe('npm test --silent');
    expect(summarizeToolInput({ thing: 'first string' })).toBe('first string');
  });

  it('keeps the end of a long path and the start of anything else', () => {
    const longPath = `/very/${'deep/'.repeat(30)}file.ts`;
    const summary = summarizeToolInput({ file_path: longPath });
    expect(summary.startsWith('…')).toBe(true);
    expect(summary.endsWith('/file.ts')).toBe(true);
    expect(summary.length).toBeLessThanOrEqual(80);
    expect(summarizeToolInput({ query: 'q'.repeat(200) }).endsWith('…')).toBe(true);
  });

  it('falls back to JSON, and to nothing for an empty input', () => {
    expect(summarizeToolInput({ limit: 5 })).toBe('{"limit":5}');
    expect(summarizeToolInput({})).toBe('');
    expect(summarizeToolInput(undefined)).toBe('');
  });
});
