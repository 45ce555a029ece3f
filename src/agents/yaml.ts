/** Strict YAML through gray-matter, without its input cache and with errors turned into data. */

import matter from 'gray-matter';

/** The outcome of a strict parse. */
export type StrictYaml =
  | { ok: true; data: unknown }
  /** `line` is 0-based within the given text, when the parser says where it failed. */
  | { ok: false; reason: string; line?: number };

/** A mapping as YAML gives it (not a list, date or null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function describeError(error: unknown): { reason: string; line?: number } {
  if (typeof error !== 'object' || error === null) return { reason: String(error) };
  const reason = 'reason' in error && typeof error.reason === 'string' ? error.reason : String(error);
  const mark = 'mark' in error ? error.mark : undefined;
  const markLine = typeof mark === 'object' && mark !== null && 'line' in mark ? mark.line : undefined;
  // gray-matter hands js-yaml the text after the opening `---`, which starts with the newline we
  // add below, so the parser's line 1 is our line 0.
  return typeof markLine === 'number' ? { reason, line: Math.max(0, markLine - 1) } : { reason };
}

/**
 * Parse `yaml` (front matter without its `---` rules) with gray-matter's YAML engine.
 * Passing an options object matters: with none, gray-matter caches every input string in a
 * module-level object forever, which leaks when thousands of files are loaded and reloaded.
 */
export function parseYamlStrict(yaml: string): StrictYaml {
  try {
    const file = matter(`---\n${yaml}\n---\n`, { language: 'yaml' });
    const data: unknown = file.data;
    return { ok: true, data };
  } catch (error) {
    return { ok: false, ...describeError(error) };
  }
}
