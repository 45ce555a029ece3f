import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../agents/catalog.js';
import type { AgentDefinition } from '../agents/definition.js';
import { withUnavailableToolWarnings } from '../tools/tool-availability.js';
import { formatAgentList } from './list-command.js';
import { formatValidateReport } from './validate-report.js';

function agent(name: string, tools?: string[]): AgentDefinition {
  return { name, toolName: name, title: name, description: 'd', prompt: 'p', ...(tools ? { tools } : {}), disallowedTools: [], model: 'inherit', extra: {}, file: `/a/${name}.md`, source: '', warnings: [] };
}

const catalog = withUnavailableToolWarnings(
  buildCatalog([agent('plain'), agent('listy', ['Read', 'Agent', 'ListMcpResourcesTool', 'mcp__x__y'])].map((a, i) => ({ file: a.file, dirIndex: 0, relPath: `${i}`, result: { kind: 'agent' as const, agent: a } }))),
);

describe('list', () => {
  it('counts the same warnings as validate', () => {
    const listed = JSON.parse(formatAgentList(catalog, { json: true })) as { warnings: number; agents: Array<{ name: string; warnings: number }> };
    const validated = JSON.parse(formatValidateReport(catalog, { json: true })) as { summary: { warnings: number } };
    expect(listed.warnings).toBe(2);
    expect(validated.summary.warnings).toBe(listed.warnings);
    expect(listed.agents.find((a) => a.name === 'listy')?.warnings).toBe(2);
  });

  it('prints a table with the totals and no colour unless asked', () => {
    const text = formatAgentList(catalog, { json: false });
    expect(text).toMatch(/^NAME\s+TOOL NAME\s+MODEL\s+TOOLS\s+WARNINGS\s+SOURCE$/m);
    expect(text).toContain('2 agent(s), 2 warning(s), 0 file(s) skipped');
    expect(text).not.toContain('\u001b[');
    expect(formatAgentList(catalog, { json: false, color: true })).toContain('\u001b[1mNAME');
  });
});
