/**
 * Finding and reading the front matter of an agent file. Finding is done by lines, not by
 * gray-matter's `---` search, because real files indent the block, put blank lines before it,
 * or close it with a long rule (`------`), and gray-matter then misses it or leaks dashes into
 * the body.
 */

import type { Finding } from './problem.js';
import { parseLenient } from './lenient-yaml.js';
import { isRecord, parseYamlStrict } from './yaml.js';

/** A problem before the file path is attached. */

/** The front matter block of a file and the body after it. */
export interface FrontMatterBlock {
  /** The lines between the rules, with the block's indentation removed. */
  lines: string[];
  /** 1-based file line of the opening rule. */
  openLine: number;
  /** The text after the closing rule. */
  body: string;
  /** Set when the block is laid out in a way Claude Code may not read. */
  layout?: Finding;
}

/** Where the front matter is, if anywhere. */
export type LocatedFrontMatter =
  | { kind: 'none' }
  | { kind: 'unclosed'; openLine: number }
  | { kind: 'found'; block: FrontMatterBlock };

/** Front matter read into data. */
export interface FrontMatter {
  data: Record<string, unknown>;
  /** 1-based file line of each top-level key (first occurrence). */
  keyLines: Map<string, number>;
  /** True when strict YAML failed and the line-based reader was used. */
  lenient: boolean;
  findings: Finding[];
  /** Set when the block must not be served at all (YAML aliases that expand past the limit). */
  refused?: Finding;
}

const RULE = /^-{3,}$/;
const KEY_AT_COLUMN_0 = /^([A-Za-z_][A-Za-z0-9_-]*)[ \t]*:/;

function leadingWhitespace(line: string): number {
  return /^[ \t]*/.exec(line)?.[0].length ?? 0;
}

function describeLayout(openIndex: number, indent: number, open: string, close: string): Finding | undefined {
  const quirks: string[] = [];
  if (openIndex > 0) quirks.push(`starts at line ${openIndex + 1} instead of line 1`);
  if (indent > 0) quirks.push(`is indented by ${indent} characters`);
  if (open !== '---' || close !== '---') quirks.push('uses rules other than exactly `---`');
  if (quirks.length === 0) return undefined;
  return {
    line: openIndex + 1,
    code: 'front-matter-layout',
    reason: `front matter ${quirks.join(' and ')}; read anyway, but Claude Code may not see it`,
  };
}

/**
 * Find the front matter in `text` (LF line endings, no BOM): the first non-blank line is a rule
 * of three or more dashes, the next non-blank line looks like `key:`, and a later rule closes it.
 * A first rule followed by prose is a Markdown horizontal rule, not front matter.
 */
export function locateFrontMatter(text: string): LocatedFrontMatter {
  // Lines are read one at a time up to the closing rule, so a long body is never split.
  let offset = 0;
  let lineIndex = -1;
  const nextLine = (): string | undefined => {
    if (offset > text.length) return undefined;
    const end = text.indexOf('\n', offset);
    const line = text.slice(offset, end === -1 ? text.length : end);
    offset = end === -1 ? text.length + 1 : end + 1;
    lineIndex++;
    return line;
  };
  let openLineText = nextLine();
  while (openLineText !== undefined && openLineText.trim() === '') openLineText = nextLine();
  const open = openLineText?.trim();
  if (openLineText === undefined || open === undefined || !RULE.test(open)) return { kind: 'none' };
  const openIndex = lineIndex;
  const indent = leadingWhitespace(openLineText);
  const inside: string[] = [];
  let close: string | undefined;
  for (let line = nextLine(); line !== undefined; line = nextLine()) {
    if (RULE.test(line.trim())) {
      close = line.trim();
      break;
    }
    inside.push(line);
  }
  // An empty block (`---` right after `---`) is front matter too.
  const trimmedField = inside.find((line) => line.trim() !== '')?.trim() ?? close ?? '';
  if (!KEY_AT_COLUMN_0.test(trimmedField) && !RULE.test(trimmedField)) return { kind: 'none' };
  if (close === undefined) return { kind: 'unclosed', openLine: openIndex + 1 };
  const block = indent === 0 ? inside : inside.map((line) => line.slice(Math.min(indent, leadingWhitespace(line))));
  const layout = describeLayout(openIndex, indent, open, close);
  const body = offset > text.length ? '' : text.slice(offset);
  return {
    kind: 'found',
    block: { lines: block, openLine: openIndex + 1, body, ...(layout ? { layout } : {}) },
  };
}

function findKeyLines(block: FrontMatterBlock): Map<string, number> {
  const keyLines = new Map<string, number>();
  block.lines.forEach((line, index) => {
    const key = KEY_AT_COLUMN_0.exec(line)?.[1];
    if (key !== undefined && !keyLines.has(key)) keyLines.set(key, block.openLine + 1 + index);
  });
  return keyLines;
}

/**
 * Read a located block: strict YAML first (types preserved); when that fails, or yields
 * something other than a mapping, the line-based reader recovers the keys, with a finding
 * that names the line strict YAML stopped at.
 */
export function readFrontMatter(block: FrontMatterBlock): FrontMatter {
  const keyLines = findKeyLines(block);
  const findings: Finding[] = block.layout ? [block.layout] : [];
  const strict = parseYamlStrict(block.lines.join('\n'));
  // Recovering keys line by line would only hand the same aliases to a lesser parser.
  if (!strict.ok && strict.oversized) {
    return { data: {}, keyLines, lenient: false, findings, refused: { line: block.openLine, reason: `front matter ${strict.reason}` } };
  }
  if (strict.ok && (strict.data === null || strict.data === undefined || isRecord(strict.data))) {
    return { data: strict.data ?? {}, keyLines, lenient: false, findings };
  }
  const firstLine = block.openLine + 1;
  const why = strict.ok ? 'it is not a list of key: value pairs' : strict.reason;
  findings.push({
    line: strict.ok || strict.line === undefined ? firstLine : firstLine + strict.line,
    code: 'lenient-front-matter',
    reason: `front matter is not valid YAML (${why}); known keys were recovered line by line — quote values that contain ": " or use a block scalar`,
  });
  const lenient = parseLenient(block.lines);
  if (lenient.ignoredLines.length > 0) {
    const where = lenient.ignoredLines.map((index) => firstLine + index);
    findings.push({
      line: where[0],
      code: 'lenient-front-matter',
      reason: `front matter line(s) ${where.join(', ')} belong to no key and were ignored`,
    });
  }
  return { data: lenient.data, keyLines, lenient: true, findings };
}
