import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../agents/catalog.js';
import type { AgentDefinition, LoadResult } from '../agents/definition.js';
import { buildValidateRows, formatValidateReport, validateExitCode } from './validate-report.js';

function agent(name: string, overrides: Partial<AgentDefinition> = {}): LoadResult {
  const definition: AgentDefinition = {
    name,
    toolName: name,
    title: name,
    description: `${name} agent`,
    prompt: 'p',
    disallowedTools: [],
    model: 'inherit',
    extra: {},
    file: `/a/${name}.md`,
    source: '',
    warnings: [],
    ...overrides,
  };
  return { kind: 'agent', agent: definition };
}

const catalogOf = (...results: LoadResult[]) =>
  buildCatalog(results.map((result, i) => ({ file: `/a/${i}`, dirIndex: 0, relPath: `${i}`, result })));

const warned = agent('warned', {
  tools: ['Read', 'Bogus'],
  model: 'opus',
  warnings: [{ file: '/a/warned.md', line: 4, code: 'unknown-tool', reason: "tools: 'Bogus' is unknown" }],
});
const notAgent: LoadResult = { kind: 'skipped', file: '/a/README.md', reason: 'not an agent file', broken: false };
const broken: LoadResult = { kind: 'skipped', file: '/a/bad.md', reason: 'has a name but no description', line: 2, broken: true };

describe('validate report', () => {
  it('has one row per file with status, name, tool name, model, tools and reason', () => {
    expect(buildValidateRows(catalogOf(agent('clean'), warned, broken))).toEqual([
      { status: 'ok', name: 'clean', toolName: 'clean', model: 'inherit', tools: '(inherit all)', file: '/a/clean.md', reason: '' },
      { status: 'warning', name: 'warned', toolName: 'warned', model: 'opus', tools: 'Read, Bogus', file: '/a/warned.md', reason: "line 4: tools: 'Bogus' is unknown" },
      { status: 'skipped', name: '', toolName: '', model: '', tools: '', file: '/a/bad.md', reason: 'line 2: has a name but no description', broken: true },
    ]);
  });

  it('exits 0 with warnings and non-agent files, 1 with a broken file', () => {
    expect(validateExitCode(catalogOf(agent('clean'), warned, notAgent))).toBe(0);
    expect(validateExitCode(catalogOf(agent('clean'), broken))).toBe(1);
  });

  it('prints a table with a summary line', () => {
    const text = formatValidateReport(catalogOf(agent('clean'), warned, broken), { json: false });
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^STATUS\s+NAME\s+TOOL NAME\s+MODEL\s+TOOLS\s+REASON$/);
    expect(lines[1]).toMatch(/^ok\s+clean\s+clean\s+inherit\s+\(inherit all\)$/);
    expect(lines[3]).toMatch(/^skipped \(broken\)\s+\/a\/bad\.md\s+line 2: has a name but no description$/);
    expect(lines.at(-1)).toBe('2 agent(s) served (1 with warnings), 1 file(s) skipped (1 broken)');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('prints JSON with a summary and the rows', () => {
    const parsed: unknown = JSON.parse(formatValidateReport(catalogOf(warned, notAgent), { json: true }));
    expect(parsed).toMatchObject({
      summary: { served: 1, withWarnings: 1, skipped: 1, broken: 0, warnings: 1 },
      rows: [{ status: 'warning', name: 'warned' }, { status: 'skipped', file: '/a/README.md', broken: false }],
    });
  });
});
