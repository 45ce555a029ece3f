import { describe, expect, it } from 'vitest';
import { parseToolList } from './tools.js';

describe('parseToolList', () => {
  it('reads a comma-separated string and a YAML list the same way', () => {
    expect(parseToolList('Read, Grep,Glob').tools).toEqual(['Read', 'Grep', 'Glob']);
    expect(parseToolList(['Read', 'Grep', 'Glob']).tools).toEqual(['Read', 'Grep', 'Glob']);
  });

  it('treats absent, null, empty and empty lists as "inherit all"', () => {
    for (const value of [undefined, null, '', '  ', []]) expect(parseToolList(value)).toEqual({ problems: [] });
  });

  it('maps legacy names to today’s', () => {
    const { tools, problems } = parseToolList('Task, KillBash, KillShell, ListMcpResources, ReadMcpResource');
    expect(tools).toEqual(['Agent', 'TaskStop', 'ListMcpResourcesTool', 'ReadMcpResourceTool']);
    expect(problems).toEqual([]);
  });

  it('keeps Agent/Task argument lists, mapped to Agent(x, y)', () => {
    expect(parseToolList('Task(reviewer,tester), Read').tools).toEqual(['Agent(reviewer, tester)', 'Read']);
    expect(parseToolList(['Agent( a ,  b )']).tools).toEqual(['Agent(a, b)']);
  });

  it('keeps retired names valid without warnings', () => {
    const { tools, problems } = parseToolList('MultiEdit, LS, BashOutput, NotebookRead, TodoRead');
    expect(tools).toEqual(['MultiEdit', 'LS', 'BashOutput', 'NotebookRead', 'TodoRead']);
    expect(problems).toEqual([]);
  });

  it('accepts mcp__ names and keeps unknown names with a warning', () => {
    const { tools, problems } = parseToolList('mcp__context7__get-library-docs, chrome-mcp, subagent-catalog:search');
    expect(tools).toEqual(['mcp__context7__get-library-docs', 'chrome-mcp', 'subagent-catalog:search']);
    expect(problems.map((p) => p.code)).toEqual(['unknown-tool', 'unknown-tool']);
    expect(problems[0]?.reason).toContain("'chrome-mcp'");
  });

  it('drops duplicates, including ones that only match after mapping', () => {
    expect(parseToolList('Read, Task, Read, Agent').tools).toEqual(['Read', 'Agent']);
  });

  it('reads a lone * as "inherit all" with a warning', () => {
    const result = parseToolList('*');
    expect(result.tools).toBeUndefined();
    expect(result.problems[0]?.code).toBe('field-value');
  });

  it('names the field in problems', () => {
    expect(parseToolList('Nope', 'disallowedTools').problems[0]?.reason).toMatch(/^disallowedTools: 'Nope'/);
  });
});
