import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../agents/catalog.js';
import type { AgentDefinition, LoadResult } from '../agents/definition.js';
import { parseAgentText } from '../agents/parse-agent.js';
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

  it('names an unreadable limit with its file, line, field and value, and still serves the agent', () => {
    const loaded = parseAgentText('/a/ten.md', '---\nname: ten\ndescription: d\nmaxTurns: ten\n---\nbody\n');
    const [row] = buildValidateRows(catalogOf(loaded));
    expect(row).toMatchObject({ status: 'warning', file: '/a/ten.md', reason: expect.stringMatching(/^line 4: maxTurns must be a positive whole number, not ten;/) as string });
    expect(validateExitCode(catalogOf(loaded))).toBe(0);
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
    expect(lines.at(-1)).toBe('2 agent(s) served (1 with warnings), 1 file(s) skipped (1 broken), 1 warning(s)');
    expect(text.endsWith('\n')).toBe(true);
  });

  it('prints JSON with a summary and the rows', () => {
    const parsed: unknown = JSON.parse(formatValidateReport(catalogOf(warned, notAgent), { json: true }));
    expect(parsed).toMatchObject({
      summary: { served: 1, withWarnings: 1, skipped: 1, broken: 0, warnings: 1 },
      rows: [{ status: 'warning', name: 'warned' }, { status: 'skipped', file: '/a/README.md', broken: false }],
    });
  });

  it('on a terminal, puts each warning on its own line, wrapped to the width, and caps the lines per row', () => {
    const many = agent('many', {
      warnings: Array.from({ length: 9 }, (_, i) => ({ file: '/a/many.md', code: 'unknown-tool' as const, reason: `tools: 'Tool${i}' is unknown and this sentence is long enough to wrap around` })),
    });
    const text = formatValidateReport(catalogOf(many), { json: false, width: 100 });
    const lines = text.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(100);
    const reasonCol = lines[0]!.indexOf('REASON');
    expect(lines[1]!.slice(reasonCol)).toMatch(/^tools: 'Tool0' is unknown/);
    expect(lines[2]!.slice(0, reasonCol).trim()).toBe('');
    expect(text).toContain('more lines (--json for all)');
    expect(text).not.toContain("'Tool8'");
    // --json keeps every reason whole.
    const json = JSON.parse(formatValidateReport(catalogOf(many), { json: true, width: 100 })) as { rows: Array<{ reason: string }> };
    expect(json.rows[0]?.reason).toContain("'Tool8'");
  });

  it('colours the status only when asked', () => {
    expect(formatValidateReport(catalogOf(agent('clean')), { json: false })).not.toContain('\u001b[');
    expect(formatValidateReport(catalogOf(agent('clean')), { json: false, color: true })).toContain('\u001b[32mok');
  });
});
