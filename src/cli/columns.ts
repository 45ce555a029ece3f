/** Plain text tables for the terminal: columns padded to their widest cell. */

/** Longest cell before it is cut with an ellipsis (the last column is never cut). */
export const MAX_CELL_CHARS = 60;

/** Flatten whitespace and cut a cell to `max` characters. */
export function cell(text: string, max = MAX_CELL_CHARS): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/**
 * Rows under a header, two spaces between columns. The last column is not padded: it holds
 * the long free text (reasons, sources), and trailing spaces help nobody.
 */
export function formatColumns(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((title, col) => Math.max(title.length, ...rows.map((r) => (r[col] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells.map((c, col) => (col === cells.length - 1 ? c : c.padEnd(widths[col] ?? 0))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n');
}
