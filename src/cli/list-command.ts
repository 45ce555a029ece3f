/** `agents-mcp list`: the catalog as a table (or JSON), with warnings counted. */
import type { Catalog } from '../agents/catalog.js';
import { cell, formatColumns } from './columns.js';

/** The catalog as the `list` command prints it. Ends with a newline. */
export function formatAgentList(catalog: Catalog, { json }: { json: boolean }): string {
  const agents = catalog.agents.map((a) => ({
    name: a.name,
    tool_name: a.toolName,
    model: a.model,
    tools: a.tools ?? null,
    source: a.file,
    warnings: a.warnings.length,
  }));
  if (json) return `${JSON.stringify({ agents, skipped: catalog.skipped.length, warnings: catalog.warningCount }, null, 2)}\n`;
  const rows = agents.map((a) => [a.name, a.tool_name, a.model, cell(a.tools?.join(', ') ?? '(inherit all)', 40), String(a.warnings), a.source]);
  const table = formatColumns(['NAME', 'TOOL NAME', 'MODEL', 'TOOLS', 'WARNINGS', 'SOURCE'], rows);
  const totals = `${agents.length} agent(s), ${catalog.warningCount} warning(s), ${catalog.skipped.length} file(s) skipped — details: agents-mcp validate`;
  return `${table}\n\n${totals}\n`;
}
