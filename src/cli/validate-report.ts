/** The `validate` report: one row per file, as a table or JSON, and the exit code. Pure. */

import type { Catalog } from '../agents/catalog.js';
import type { Problem } from '../agents/definition.js';
import pc from 'picocolors';
import { cell, formatColumns } from './columns.js';

/** One row of the report. */
export interface ValidateRow {
  /** `ok`: served cleanly; `warning`: served with warnings; `skipped`: not served. */
  status: 'ok' | 'warning' | 'skipped';
  /** The agent name; empty for skipped files. */
  name: string;
  toolName: string;
  model: string;
  /** Comma-separated allowlist, or `(inherit all)`. */
  tools: string;
  file: string;
  /** Warnings or the skip reason, with line numbers; empty for `ok`. */
  reason: string;
  /** For skipped rows: whether the file looks meant as an agent but is broken. */
  broken?: boolean;
}

/** How {@link formatValidateReport} prints. */
export interface ValidateReportOptions {
  /** JSON (`{ summary, rows }`) instead of a table. */
  json: boolean;
  /**
   * The terminal's width: each warning gets its own line in REASON, wrapped to fit, at most
   * {@link MAX_REASON_LINES} per row. Absent (a pipe): one line per row, reasons joined by `; `.
   */
  width?: number;
  /** Colour the status column. */
  color?: boolean;
}

/** Most REASON lines per row on a terminal; `--json` has them all. */
export const MAX_REASON_LINES = 6;

const INHERIT_ALL = '(inherit all)';

function describeProblem(problem: Pick<Problem, 'line' | 'reason'>): string {
  return problem.line !== undefined ? `line ${problem.line}: ${problem.reason}` : problem.reason;
}

/** Each row's reasons one by one, in the order of {@link buildValidateRows}. */
function reasonsByRow(catalog: Catalog): string[][] {
  return [...catalog.agents.map((agent) => agent.warnings.map(describeProblem)), ...catalog.skipped.map((skip) => [describeProblem(skip)])];
}

/** One row per served agent (sorted by tool name), then one per skipped file (sorted by path). */
export function buildValidateRows(catalog: Catalog): ValidateRow[] {
  const served: ValidateRow[] = catalog.agents.map((agent) => ({
    status: agent.warnings.length > 0 ? 'warning' : 'ok',
    name: agent.name,
    toolName: agent.toolName,
    model: agent.model,
    tools: agent.tools ? agent.tools.join(', ') : INHERIT_ALL,
    file: agent.file,
    reason: agent.warnings.map(describeProblem).join('; '),
  }));
  const skipped: ValidateRow[] = catalog.skipped.map((skip) => ({
    status: 'skipped',
    name: '',
    toolName: '',
    model: '',
    tools: '',
    file: skip.file,
    reason: describeProblem(skip),
    broken: skip.broken,
  }));
  return [...served, ...skipped];
}

/** 0 when every agent file was served (warnings allowed, non-agent files ignored); 1 when any file was skipped as broken. */
export function validateExitCode(catalog: Catalog): 0 | 1 {
  return catalog.skipped.some((skip) => skip.broken) ? 1 : 0;
}

function summarize(catalog: Catalog): { served: number; withWarnings: number; skipped: number; broken: number; warnings: number } {
  return {
    served: catalog.agents.length,
    withWarnings: catalog.agents.filter((a) => a.warnings.length > 0).length,
    skipped: catalog.skipped.length,
    broken: catalog.skipped.filter((s) => s.broken).length,
    warnings: catalog.warningCount,
  };
}

const STATUS_COLORS = { ok: 'green', warning: 'yellow', skipped: 'dim', broken: 'red' } as const;

function formatTable(rows: readonly ValidateRow[], reasons: readonly string[][], options: Omit<ValidateReportOptions, 'json'>): string {
  const c = pc.createColors(options.color === true);
  const onTerminal = options.width !== undefined;
  const body = rows.map((row, i) => {
    // A skipped file has no name: show its path there so the row says which file it is.
    const name = row.status === 'skipped' ? row.file : row.name;
    const status = row.status === 'skipped' && row.broken ? 'skipped (broken)' : row.status;
    const reason = onTerminal ? (reasons[i] ?? []).join('\n') : row.reason.replace(/\s+/g, ' ');
    return [status, cell(name), row.toolName, row.model, cell(row.tools), reason];
  });
  return formatColumns(['STATUS', 'NAME', 'TOOL NAME', 'MODEL', 'TOOLS', 'REASON'], body, {
    ...(options.width !== undefined ? { width: options.width, maxLastLines: MAX_REASON_LINES, moreHint: '--json for all' } : {}),
    style: (text, { row, col }) => {
      if (row === -1) return c.bold(text);
      const r = rows[row];
      if (col !== 0 || r === undefined) return text;
      return c[STATUS_COLORS[r.status === 'skipped' && r.broken ? 'broken' : r.status]](text);
    },
  });
}

/**
 * The report for a catalog: a table (status, name, tool name, model, tools, reason) followed by
 * a summary line, or with `json` an object `{ summary, rows }`. Ends with a newline.
 */
export function formatValidateReport(catalog: Catalog, { json, ...table }: ValidateReportOptions): string {
  const rows = buildValidateRows(catalog);
  const summary = summarize(catalog);
  if (json) return `${JSON.stringify({ summary, rows }, null, 2)}\n`;
  const totals =
    `${summary.served} agent(s) served (${summary.withWarnings} with warnings), ` +
    `${summary.skipped} file(s) skipped (${summary.broken} broken)`;
  return `${formatTable(rows, reasonsByRow(catalog), table)}\n\n${totals}, ${summary.warnings} warning(s)\n`;
}
