/**
 * What a client's model reads about each agent in tools/list. Agent descriptions written
 * for Claude Code carry long `<example>` blocks; every connected client pays for them in
 * context on every turn, so by default we send a compact sentence or two and keep the full
 * definition in the agent's resource.
 */

/** Longest compact description, in characters (~50 tokens). */
export const COMPACT_DESCRIPTION_MAX_CHARS = 200;

/** Strip examples, commentary, escaped newlines and markup; cut at a sentence boundary. */
export function compactDescription(description: string, maxChars = COMPACT_DESCRIPTION_MAX_CHARS): string {
  let text = description
    .replace(/<example>[\s\S]*?(<\/example>|$)/gi, ' ')
    .replace(/<commentary>[\s\S]*?(<\/commentary>|$)/gi, ' ')
    .replace(/\\n/g, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  // "Examples:" / "including:" left dangling once the examples are gone.
  text = text.replace(/\s*(Examples?|e\.g\.|including|for example)\s*:?\s*$/i, '').replace(/[:,;]\s*$/, '.');
  if (text.length <= maxChars) return text;
  const window = text.slice(0, maxChars);
  const sentenceEnd = Math.max(window.lastIndexOf('. '), window.lastIndexOf('! '), window.lastIndexOf('? '));
  if (sentenceEnd >= maxChars / 3) return window.slice(0, sentenceEnd + 1);
  const wordEnd = window.lastIndexOf(' ');
  return `${window.slice(0, wordEnd > 0 ? wordEnd : maxChars).replace(/[,;:.]$/, '')}…`;
}
