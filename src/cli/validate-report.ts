/** The `validate` report: one row per file, as a table or JSON, and the exit code. Pure. */

import type { Catalog } from '../agents/catalog.js';
import type { Problem } from '../agents/definition.js';
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
}

const INHERIT_ALL = '(inherit all)';

function describeProblem(problem: Pick<Problem, 'line' | 'reason'>): string {
  return problem.line !== undefined ? `line ${problem.line}: ${problem.reason}` : problem.reason;
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

function formatTable(rows: readonly ValidateRow[]): string {
  const body = rows.map((row) => {
    // A skipped file has no name: show its path there so the row says which file it is.
    const name = row.status === 'skipped' ? row.file : row.name;
    const status = row.status === 'skipped' && row.broken ? 'skipped (broken)' : row.status;
    return [status, cell(name), row.toolName, row.model, cell(row.tools), row.reason.replace(/\s+/g, ' ')];
  });
  return formatColumns(['STATUS', 'NAME', 'TOOL NAME', 'MODEL', 'TOOLS', 'REASON'], body);
}

/**
 * The report for a catalog: a table (status, name, tool name, model, tools, reason) followed by
 * a summary line, or with `json` an object `{ summary, rows }`. Ends with a newline.
 */
export function formatValidateReport(catalog: Catalog, { json }: ValidateReportOptions): string {
  const rows = buildValidateRows(catalog);
  const summary = summarize(catalog);
  if (json) return `${JSON.stringify({ summary, rows }, null, 2)}\n`;
  const totals =
    `${summary.served} agent(s) served (${summary.withWarnings} with warnings), ` +
    `${summary.skipped} file(s) skipped (${summary.broken} broken)`;
  return `${formatTable(rows)}\n\n${totals}\n`;
}
