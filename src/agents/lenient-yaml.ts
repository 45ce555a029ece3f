/**
 * A line-based reader for front matter that strict YAML rejects. Real agent files have
 * unquoted descriptions containing `: `, `<example>` blocks with `user:` / `assistant:` lines at
 * column 0, and the like; a person reads them fine, so we recover the keys a person would.
 */

import { isRecord, parseYamlStrict } from './yaml.js';

/**
 * Keys that always start a new entry at column 0, even inside a free-text value: the documented
 * ones (format doc §1) plus a few that collections add (`category`, `version`, …).
 */
export const KNOWN_FRONT_MATTER_KEYS: ReadonlySet<string> = new Set([
  'name', 'description', 'tools', 'disallowedTools', 'model', 'color', 'permissionMode', 'maxTurns', 'skills',
  'mcpServers', 'hooks', 'memory', 'background', 'effort', 'isolation', 'initialPrompt',
  'category', 'version', 'author', 'tags', 'pattern_version', 'title', 'license',
]);

/**
 * Values that are prose: inside them only a known key starts a new entry, so `Context: …` or
 * `user: …` lines in a description stay in the description. After any other key, any
 * `word:` at column 0 starts a new entry (kept in `extra`).
 */
const FREE_TEXT_KEYS: ReadonlySet<string> = new Set(['description', 'initialPrompt']);

const KEY_LINE = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:(?:[ \t]|$)(.*)$/;
const BLOCK_SCALAR = /^[|>][+-]?[1-9]?$/;

interface Entry {
  key: string;
  /** 0-based index of the key line in the block. */
  index: number;
  first: string;
  rest: string[];
}

/** What the lenient reader recovered. */
export interface LenientFrontMatter {
  data: Record<string, unknown>;
  /** 0-based indexes of non-blank lines that belonged to no key and were dropped. */
  ignoredLines: number[];
}

function unquoteScalar(text: string): string {
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) {
    return text.slice(1, -1).replace(/\\(["\\nt])/g, (_all, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch));
  }
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  return text;
}

function dedent(lines: string[]): string[] {
  const indents = lines.filter((l) => l.trim() !== '').map((l) => /^[ \t]*/.exec(l)?.[0].length ?? 0);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)?.[0].length ?? 0)));
}

function dropTrailingBlank(lines: string[]): string[] {
  let end = lines.length;
  while (end > 0 && lines[end - 1]?.trim() === '') end--;
  return lines.slice(0, end);
}

/** The value as text (or a list of `- item` lines), keeping line breaks a person would see. */
function readRawValue(first: string, restLines: string[]): string | string[] | null {
  const head = first.trim();
  const rest = dropTrailingBlank(restLines);
  if (head === '') {
    const nonBlank = rest.filter((l) => l.trim() !== '');
    if (nonBlank.length === 0) return null;
    if (nonBlank.every((l) => /^\s*-(\s|$)/.test(l))) return nonBlank.map((l) => unquoteScalar(l.trim().slice(1).trim()));
    return dedent(rest).join('\n').trim();
  }
  if (BLOCK_SCALAR.test(head)) {
    const body = dedent(rest);
    if (head.startsWith('|')) return body.join('\n').trim();
    // Folded: single line breaks become spaces, blank lines stay as line breaks.
    return body.join('\n').trim().replace(/([^\n])\n(?!\n)/g, '$1 ');
  }
  return unquoteScalar([head, ...rest.map((l) => l.trim())].join('\n').trim());
}

function valueOf(entry: Entry, lines: readonly string[]): unknown {
  // Most keys of a broken file are fine on their own: parse each chunk strictly first so
  // lists, numbers and nested maps keep their YAML types.
  const chunk = lines.slice(entry.index, entry.index + 1 + entry.rest.length).join('\n');
  const strict = parseYamlStrict(chunk);
  if (strict.ok && isRecord(strict.data)) {
    const keys = Object.keys(strict.data);
    if (keys.length === 1 && keys[0] === entry.key) return strict.data[entry.key];
  }
  return readRawValue(entry.first, entry.rest);
}

/**
 * Read `lines` (front matter without its rules, de-indented) key by key. A key starts only at
 * column 0; later duplicates win, as in a plain object assignment.
 */
export function parseLenient(lines: readonly string[]): LenientFrontMatter {
  const entries: Entry[] = [];
  const ignoredLines: number[] = [];
  let current: Entry | undefined;
  lines.forEach((line, index) => {
    const match = KEY_LINE.exec(line);
    const key = match?.[1];
    if (key !== undefined && (current === undefined || KNOWN_FRONT_MATTER_KEYS.has(key) || !FREE_TEXT_KEYS.has(current.key))) {
      current = { key, index, first: match?.[2] ?? '', rest: [] };
      entries.push(current);
    } else if (current !== undefined) {
      current.rest.push(line);
    } else if (line.trim() !== '' && !line.trimStart().startsWith('#')) {
      ignoredLines.push(index);
    }
  });
  const data: Record<string, unknown> = {};
  for (const entry of entries) data[entry.key] = valueOf(entry, lines);
  return { data, ignoredLines };
}
