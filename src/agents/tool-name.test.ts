import { describe, expect, it } from 'vitest';
import { TOOL_NAME_PATTERN, toToolName } from './tool-name.js';

describe('toToolName', () => {
  it.each([
    ['code-reviewer', 'code-reviewer'],
    ['Code Reviewer', 'code-reviewer'],
    ['frontend/react expert', 'frontend-react-expert'],
    ['next.js-pro', 'next_js-pro'],
    ['C++ expert', 'c-expert'],
    ['--weird!!name--', 'weird-name'],
    ['café_bot', 'cafe_bot'],
    ['a__b', 'a_b'],
    ['123', '123'],
  ])('%s → %s', (name, expected) => {
    expect(toToolName(name)).toBe(expected);
    expect(toToolName(name)).toMatch(TOOL_NAME_PATTERN);
  });

  it('cuts to 64 characters without a trailing dash', () => {
    const name = `${'a'.repeat(63)} b`;
    const result = toToolName(name);
    expect(result).toBe('a'.repeat(63));
    expect(toToolName('x'.repeat(100))).toHaveLength(64);
  });

  it('returns an empty string when nothing usable is left', () => {
    expect(toToolName('日本語')).toBe('');
  });
});
