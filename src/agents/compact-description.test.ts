import { describe, expect, it } from 'vitest';
import { compactDescription, COMPACT_DESCRIPTION_MAX_CHARS } from './compact-description.js';

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

  it('keeps a first sentence that ends a little past the limit whole, rather than cutting it', () => {
    const d = 'Use when you need expert-level Python development for AI/ML systems, LLM integrations, asynchronous services, or microservices. More text follows here.';
    expect(compactDescription(d)).toBe('Use when you need expert-level Python development for AI/ML systems, LLM integrations, asynchronous services, or microservices.');
  });

  it('does not end a sentence at an abbreviation', () => {
    const d = `Handles many formats, e.g. CSV and JSON files from ${'x'.repeat(30)} sources and more. ${'Then more words follow. '.repeat(5)}`;
    expect(compactDescription(d)).toMatch(/^Handles many formats, e\.g\. CSV and JSON files .* sources and more\.$/);
  });
});
