/**
 * Strict YAML through gray-matter, without its input cache, with errors turned into data and
 * alias bombs refused.
 */

import { createRequire } from 'node:module';
import type matterType from 'gray-matter';

let matter: typeof matterType | undefined;
/**
 * gray-matter, loaded on the first parse: it brings js-yaml and esprima, ~100 ms of CPU to
 * load, and a start whose every file is in the parse cache (parse-cache.ts) parses nothing.
 * Through require, so the bundle leaves it in node_modules instead of evaluating it at start.
 */
function loadMatter(): typeof matterType {
  return (matter ??= createRequire(import.meta.url)('gray-matter') as typeof matterType);
}

/** The outcome of a strict parse. */
export type StrictYaml =
  | { ok: true; data: unknown }
  /**
   * `line` is 0-based within the given text, when the parser says where it failed. `oversized`
   * marks text that parsed but expands too far through aliases to be used at all.
   */
  | { ok: false; reason: string; line?: number; oversized?: true };

/**
 * How far parsed YAML may expand: at most this many units (one per value, plus each character
 * of text and keys) per character of source, plus {@link YAML_EXPANSION_SLACK}. Plain YAML stays
 * under one unit per character (the 332 corpus files peak at 0.99); only aliases go beyond.
 */
export const MAX_YAML_EXPANSION_PER_CHAR = 2;
/** Constant allowance on top of {@link MAX_YAML_EXPANSION_PER_CHAR}, so tiny blocks are never refused. */
export const YAML_EXPANSION_SLACK = 1024;

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
 * True when `value`, walked as JSON would walk it, is larger than `budget` units (one per value
 * plus the length of every string and key). Stops as soon as the budget is spent, so an
 * exponential alias graph costs no more than `budget` steps; iterative, so depth cannot overflow.
 */
export function exceedsExpansion(value: unknown, budget: number): boolean {
  let spent = 0;
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const item = stack.pop();
    spent += typeof item === 'string' ? item.length : 1;
    if (Array.isArray(item)) {
      for (const child of item) stack.push(child);
    } else if (isRecord(item)) {
      for (const [key, child] of Object.entries(item)) {
        spent += key.length;
        stack.push(child);
      }
    }
    if (spent > budget) return true;
  }
  return false;
}

/**
 * Parse `yaml` (front matter without its `---` rules) with gray-matter's YAML engine.
 * Passing an options object matters: with none, gray-matter caches every input string in a
 * module-level object forever, which leaks when thousands of files are loaded and reloaded.
 */
export function parseYamlStrict(yaml: string): StrictYaml {
  try {
    const file = loadMatter()(`---\n${yaml}\n---\n`, { language: 'yaml' });
    const data: unknown = file.data;
    // js-yaml shares one object per anchor, so a "billion laughs" block parses in microseconds
    // and only blows up in whoever walks it later (a JSON dump, a schema check): refuse it here.
    const budget = yaml.length * MAX_YAML_EXPANSION_PER_CHAR + YAML_EXPANSION_SLACK;
    if (exceedsExpansion(data, budget)) {
      const reason = `YAML aliases (*name) expand it past ${budget} values and characters, far beyond its own size (a "billion laughs" pattern); write the values out instead of aliasing them`;
      return { ok: false, reason, oversized: true };
    }
    return { ok: true, data };
  } catch (error) {
    return { ok: false, ...describeError(error) };
  }
}
