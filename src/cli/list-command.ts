/** `agents-mcp list`: the catalog as a table (or JSON), with warnings counted as `validate` counts them. */
import pc from 'picocolors';
import type { Catalog } from '../agents/catalog.js';
import { cell, formatColumns } from './columns.js';

/** How {@link formatAgentList} prints. */
export interface AgentListOptions {
  json: boolean;
  /** The terminal's width: the SOURCE column wraps to fit. Absent: one line per agent. */
  width?: number;
  /** Colour the header and warning counts. */
  color?: boolean;
}

/** The catalog as the `list` command prints it. Ends with a newline. */
export function formatAgentList(catalog: Catalog, { json, width, color }: AgentListOptions): string {
  const agents = catalog.agents.map((a) => ({
    name: a.name,
    tool_name: a.toolName,
    model: a.model,
    tools: a.tools ?? null,
    source: a.file,
    warnings: a.warnings.length,
  }));
  if (json) return `${JSON.stringify({ agents, skipped: catalog.skipped.length, warnings: catalog.warningCount }, null, 2)}\n`;
  const c = pc.createColors(color === true);
  const rows = agents.map((a) => [a.name, a.tool_name, a.model, cell(a.tools?.join(', ') ?? '(inherit all)', 40), String(a.warnings), a.source]);
  const table = formatColumns(['NAME', 'TOOL NAME', 'MODEL', 'TOOLS', 'WARNINGS', 'SOURCE'], rows, {
    ...(width !== undefined ? { width } : {}),
    style: (text, { row, col }) => (row === -1 ? c.bold(text) : col === 4 && (agents[row]?.warnings ?? 0) > 0 ? c.yellow(text) : text),
  });
  const totals = `${agents.length} agent(s), ${catalog.warningCount} warning(s), ${catalog.skipped.length} file(s) skipped — details: agents-mcp validate`;
  return `${table}\n\n${totals}\n`;
}
