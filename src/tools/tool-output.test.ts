import { describe, expect, it } from 'vitest';
import { errorResultFromException, truncateOutput } from './tool-output.js';
import { PathNotFoundError } from './files/workspace.js';

describe('truncateOutput', () => {
  it('returns text within the cap unchanged', () => {
    expect(truncateOutput('abc', 3)).toBe('abc');
  });

  it('cuts at a line boundary and says how much was dropped', () => {
    expect(truncateOutput('line one\nline two\nline three', 20)).toBe('line one\nline two\n…output truncated (11 more characters)');
  });

  it('cuts inside a single giant line', () => {
    expect(truncateOutput('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}\n…output truncated (40 more characters)`);
  });
});

describe('errorResultFromException', () => {
  const live = new AbortController().signal;

  it('prefixes the tool name to workspace and fs errors', () => {
    expect(errorResultFromException('Read', new PathNotFoundError('x.txt'), live)).toEqual({
      content: [{ type: 'text', text: 'Read: x.txt does not exist' }],
      isError: true,
    });
    expect(errorResultFromException('LS', 'plain string', live).content).toEqual([{ type: 'text', text: 'LS: plain string' }]);
  });

  it('reports cancellation when the signal is aborted', () => {
    const controller = new AbortController();
    controller.abort();
    expect(errorResultFromException('Grep', new Error('killed'), controller.signal).content).toEqual([
      { type: 'text', text: 'Grep: cancelled' },
    ]);
  });
});
