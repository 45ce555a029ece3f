/**
 * What a client's model reads about each agent in tools/list. Agent descriptions written
 * for Claude Code carry long `<example>` blocks; every connected client pays for them in
 * context on every turn, so by default we send a compact sentence or two and keep the full
 * definition in the agent's resource.
 */

/**
 * Longest compact description, in characters (~25 tokens): with the name and the lean input
 * schema, a tool then costs a client about 60 tokens of context (see docs/benchmarks.md).
 */
export const COMPACT_DESCRIPTION_MAX_CHARS = 100;

/**
 * Longest first sentence kept whole although it passes {@link COMPACT_DESCRIPTION_MAX_CHARS}: a
 * sentence that ends a little late reads better whole than cut. A longer one is cut at a word.
 */
export const COMPACT_FIRST_SENTENCE_MAX_CHARS = 130;

/** Abbreviations whose period ends no sentence. */
const ABBREVIATION = /\b(?:e\.g|i\.e|etc|vs|approx|incl|esp)\.$/i;

/** The ends of the sentences in `text` (index after the `.`, `!` or `?`), in order. */
function sentenceEnds(text: string): number[] {
  const ends: number[] = [];
  for (const match of text.matchAll(/[.!?](?=\s|$)/g)) {
    const end = match.index + 1;
    if (!ABBREVIATION.test(text.slice(0, end))) ends.push(end);
  }
  return ends;
}

/**
 * Strip examples, commentary, escaped newlines and markup, then cut at a sentence: as many whole
 * sentences as fit in `maxChars`; a first sentence up to {@link COMPACT_FIRST_SENTENCE_MAX_CHARS}
 * whole; a longer one cut at a word, ending in `…`.
 */
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
  const ends = sentenceEnds(text);
  const fitting = ends.filter((end) => end <= maxChars).at(-1);
  if (fitting !== undefined) return text.slice(0, fitting);
  const first = ends[0];
  if (first !== undefined && first <= Math.max(maxChars, COMPACT_FIRST_SENTENCE_MAX_CHARS)) return text.slice(0, first);
  const window = text.slice(0, maxChars);
  const wordEnd = window.lastIndexOf(' ');
  return `${window.slice(0, wordEnd > 0 ? wordEnd : maxChars).replace(/[,;:.]$/, '')}…`;
}
