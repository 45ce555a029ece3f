/**
 * Markdown helpers for agent bodies: undo escaping that exporters add (Notion, Google Docs,
 * some editors write `\#`, `\*\*`, `&nbsp;`) and find the first heading and paragraph.
 */

/** Named HTML entities seen in exported Markdown; anything else is left as written. */
const NAMED_ENTITIES: Readonly<Record<string, string>> = {
  // A model gains nothing from a non-breaking space; a plain one reads the same.
  nbsp: ' ',
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  ndash: '–',
  mdash: '—',
  hellip: '…',
  lsquo: '‘',
  rsquo: '’',
  ldquo: '“',
  rdquo: '”',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  times: '×',
  rarr: '→',
  larr: '←',
  copy: '©',
  reg: '®',
  trade: '™',
};

/**
 * One pass per line: a code span is matched first so escapes inside it stay literal (as in
 * CommonMark); then a backslash before ASCII punctuation, an entity, or a typographic
 * character that only gets in the way (U+2011 non-breaking hyphen, U+00A0 no-break space).
 */
const INLINE = /(`+)[^`]*?\1|\\([!-/:-@[-`{-~])|&(#[xX][0-9a-fA-F]{1,6}|#\d{1,7}|[a-zA-Z]{2,8});|([\u2011\u00a0])/g;

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Whether {@link INLINE} could change anything in `text`: not without one of these characters.
 * Four `includes` scans are several times faster than one regex over a whole file.
 */
function hasUnescapable(text: string): boolean {
  return text.includes('\\') || text.includes('&') || text.includes('\u2011') || text.includes('\u00a0');
}

function decodeEntity(entity: string): string | undefined {
  if (entity.startsWith('#')) {
    const hex = entity[1] === 'x' || entity[1] === 'X';
    const code = Number.parseInt(entity.slice(hex ? 2 : 1), hex ? 16 : 10);
    if (!Number.isInteger(code) || code <= 0 || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) {
      return undefined;
    }
    return code === 0xa0 ? ' ' : String.fromCodePoint(code);
  }
  return NAMED_ENTITIES[entity.toLowerCase()];
}

function closesFence(marker: string | undefined, open: string): boolean {
  return marker !== undefined && marker[0] === open[0] && marker.length >= open.length;
}

function unescapeLine(line: string): string {
  return line.replace(
    INLINE,
    (whole, _ticks: string | undefined, escaped: string | undefined, entity: string | undefined, special: string | undefined) => {
      if (escaped !== undefined) return escaped;
      if (entity !== undefined) return decodeEntity(entity) ?? whole;
      if (special !== undefined) return special === '\u2011' ? '-' : ' ';
      return whole; // a code span: kept verbatim
    },
  );
}

/**
 * Undo Markdown backslash escapes, HTML entities, non-breaking hyphens and no-break spaces,
 * outside fenced code blocks and code spans. For Markdown that renders the same, this only
 * changes what the model has to read, not what the author meant.
 */
export function unescapeMarkdown(markdown: string): string {
  // Most agent files have nothing to undo; skip the line-by-line pass for them.
  if (!hasUnescapable(markdown)) return markdown;
  let fence: string | undefined;
  return markdown
    .split('\n')
    .map((line) => {
      // Fences are recognised as written: an exporter that escaped them escaped their content too.
      const match = FENCE.exec(line);
      if (fence !== undefined) {
        if (closesFence(match?.[1], fence)) fence = undefined;
        return line;
      }
      if (match?.[1] !== undefined) {
        fence = match[1];
        return line;
      }
      return hasUnescapable(line) ? unescapeLine(line) : line;
    })
    .join('\n');
}

const HEADING = /^ {0,3}#{1,6}[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;

/** The text of the first ATX heading (`# Title`) outside code, or undefined. Expects unescaped Markdown. */
export function findFirstHeading(markdown: string): string | undefined {
  for (const block of splitBlocks(markdown)) {
    const heading = HEADING.exec(block[0] ?? '');
    if (heading?.[1]) return heading[1].trim();
  }
  return undefined;
}

/**
 * The first paragraph that is not a heading, rule, code block or HTML comment, with its lines
 * joined by single spaces; undefined when there is none. Expects unescaped Markdown.
 */
export function findFirstParagraph(markdown: string): string | undefined {
  for (const block of splitBlocks(markdown)) {
    const first = block[0] ?? '';
    if (HEADING.test(first) || RULE.test(first) || FENCE.test(first) || first.trimStart().startsWith('<!--')) continue;
    const text = block.join(' ').replace(/\s+/g, ' ').trim();
    if (text !== '') return text;
  }
  return undefined;
}

/** Blank-line-separated blocks; a fenced code block stays one block even with blank lines inside. */
function splitBlocks(markdown: string): string[][] {
  const blocks: string[][] = [];
  let current: string[] = [];
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const match = FENCE.exec(line);
    if (fence !== undefined) {
      current.push(line);
      if (closesFence(match?.[1], fence)) fence = undefined;
      continue;
    }
    if (match?.[1] !== undefined) fence = match[1];
    if (line.trim() === '' && fence === undefined) {
      if (current.length > 0) blocks.push(current);
      current = [];
    } else if (HEADING.test(line) && fence === undefined) {
      // A heading is a block of its own even without blank lines around it.
      if (current.length > 0) blocks.push(current);
      blocks.push([line]);
      current = [];
    } else {
      current.push(line);
    }
  }
  if (current.length > 0) blocks.push(current);
  return blocks;
}
