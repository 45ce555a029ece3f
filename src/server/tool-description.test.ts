import { describe, expect, it } from 'vitest';
import { compactDescription, COMPACT_DESCRIPTION_MAX_CHARS } from './tool-description.js';

describe('compactDescription', () => {
  it('removes example blocks, commentary and escaped newlines', () => {
    const d =
      'Use this agent for FastAPI work, including:\\n\\n<example>\\nContext: x\\nuser: "y"\\nassistant: "z"\\n<commentary>why</commentary>\\n</example>';
    expect(compactDescription(d)).toBe('Use for FastAPI work.');
  });

  it('drops emphasis markers and the "Use this agent" preamble', () => {
    expect(compactDescription('Use this agent when you need a **Senior** __Python__ expert.')).toBe('Use when you need a Senior Python expert.');
  });

  it('keeps a short description as written', () => {
    expect(compactDescription('Implement LLM applications with async patterns')).toBe('Implement LLM applications with async patterns');
  });

  it('cuts a long description at a sentence boundary within the limit', () => {
    const d = `${'First sentence is here and it is long enough. '.repeat(3)}${'word '.repeat(100)}`;
    const out = compactDescription(d);
    expect(out.length).toBeLessThanOrEqual(COMPACT_DESCRIPTION_MAX_CHARS);
    expect(out.endsWith('.')).toBe(true);
  });

  it('cuts a long description without sentences at a word, with an ellipsis', () => {
    const out = compactDescription('word '.repeat(100));
    expect(out.length).toBeLessThanOrEqual(COMPACT_DESCRIPTION_MAX_CHARS + 1);
    expect(out.endsWith('word…')).toBe(true);
  });
});
