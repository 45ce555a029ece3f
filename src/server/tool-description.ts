/**
 * What a client's model reads about each agent in tools/list. Agent descriptions written
 * for Claude Code carry long `<example>` blocks; every connected client pays for them in
 * context on every turn, so by default we send a compact sentence or two and keep the full
 * definition in the agent's resource.
 */

/**
 * Longest compact description, in characters (~25 tokens): with the name and the lean input
 * schema, a tool then costs a client under 60 tokens of context (see docs/benchmarks.md).
 */
export const COMPACT_DESCRIPTION_MAX_CHARS = 100;

/** Strip examples, commentary, escaped newlines and markup; cut at a sentence boundary. */
export function compactDescription(description: string, maxChars = COMPACT_DESCRIPTION_MAX_CHARS): string {
  let text = description
    .replace(/<example>[\s\S]*?(<\/example>|$)/gi, ' ')
    .replace(/<commentary>[\s\S]*?(<\/commentary>|$)/gi, ' ')
    .replace(/\\n/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    // Emphasis markers cost tokens and say nothing to a model choosing a tool.
    .replace(/\*\*|__/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    // The tool is the agent: "Use this agent when …" says no more than "Use when …".
    .replace(/^Use this (?:agent|subagent|sub-agent)\b\s*/i, 'Use ');
  // "Examples:" / "including:" left dangling once the examples are gone.
  text = text.replace(/\s*(Examples?|e\.g\.|including|for example)\s*:?\s*$/i, '').replace(/[:,;]\s*$/, '.');
  if (text.length <= maxChars) return text;
  const window = text.slice(0, maxChars);
  const sentenceEnd = Math.max(window.lastIndexOf('. '), window.lastIndexOf('! '), window.lastIndexOf('? '));
  if (sentenceEnd >= maxChars / 3) return window.slice(0, sentenceEnd + 1);
  const wordEnd = window.lastIndexOf(' ');
  return `${window.slice(0, wordEnd > 0 ? wordEnd : maxChars).replace(/[,;:.]$/, '')}…`;
}
