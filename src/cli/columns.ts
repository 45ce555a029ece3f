/** Plain text tables for the terminal: columns padded to their widest cell, the last one wrapped. */

/** Longest cell before it is cut with an ellipsis (the last column is never cut). */
export const MAX_CELL_CHARS = 60;

/** Fewest characters worth wrapping the last column into; narrower, and it is left unwrapped. */
const MIN_WRAP_CHARS = 24;

/** Flatten whitespace and cut a cell to `max` characters. */
export function cell(text: string, max = MAX_CELL_CHARS): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Break `text` into lines of at most `width` characters, at spaces where it can. */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let rest = text.replace(/\s+/g, ' ').trim();
  while (rest.length > width) {
    const space = rest.lastIndexOf(' ', width);
    const cut = space > width / 3 ? space : width;
    lines.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  if (rest !== '' || lines.length === 0) lines.push(rest);
  return lines;
}

/** How {@link formatColumns} lays out the table. */
export interface ColumnsOptions {
  /** The terminal's width: the last column wraps to fit it. Absent: one line per row, as long as it is. */
  width?: number;
  /** Most lines of the last column per row; the rest become `… N more lines`. Default: no cap. */
  maxLastLines?: number;
  /** What to say after the count of lines left out (e.g. `--json for all`). */
  moreHint?: string;
  /** Styles a padded cell (e.g. colours); `row` is -1 for the header. Lengths are measured before it. */
  style?: (text: string, info: { row: number; col: number }) => string;
}

/**
 * Rows under a header, two spaces between columns. The last column is not padded: it holds the
 * long free text (reasons, sources). A `\n` in it starts a new line; with `width`, each line is
 * wrapped, continuation lines indented under the column.
 */
export function formatColumns(header: readonly string[], rows: ReadonlyArray<readonly string[]>, options: ColumnsOptions = {}): string {
  const last = header.length - 1;
  const widths = header.map((title, col) => (col === last ? 0 : Math.max(title.length, ...rows.map((r) => (r[col] ?? '').length))));
  const indent = widths.slice(0, last).reduce((sum, w) => sum + w + 2, 0);
  const style = options.style ?? ((text: string) => text);
  const room = options.width !== undefined ? options.width - indent : undefined;
  const lastLines = (text: string): string[] => {
    const lines = text.split('\n').flatMap((line) => (room !== undefined && room >= MIN_WRAP_CHARS ? wrapText(line, room) : [line]));
    const max = options.maxLastLines;
    if (max === undefined || lines.length <= max) return lines;
    const more = lines.length - (max - 1);
    return [...lines.slice(0, max - 1), `… ${more} more line${more === 1 ? '' : 's'}${options.moreHint ? ` (${options.moreHint})` : ''}`];
  };
  const render = (cells: readonly string[], row: number): string => {
    const head = cells.slice(0, last).map((c, col) => style(c.padEnd(widths[col] ?? 0), { row, col }));
    const [first = '', ...more] = lastLines(cells[last] ?? '');
    const lines = [[...head, style(first, { row, col: last })].join('  ').trimEnd()];
    for (const line of more) lines.push(`${' '.repeat(indent)}${style(line, { row, col: last })}`);
    return lines.join('\n');
  };
  return [render(header, -1), ...rows.map((r, i) => render(r, i))].join('\n');
}
