import { describe, expect, it } from 'vitest';
import type { Tool } from './tool.js';
import { entryMatches, resolveToolbox } from './toolbox.js';

function fakeTool(name: string): Tool {
  return { name, description: name, inputSchema: { type: 'object' }, kind: 'read', run: async () => ({ content: [] }) };
}
const available = ['Read', 'Grep', 'Glob', 'LS', 'Agent', 'mcp__memory__read_graph', 'mcp__memory__create_entities', 'mcp__other__x'].map(fakeTool);
const names = (tools: Tool[]): string[] => tools.map((t) => t.name);

describe('resolveToolbox', () => {
  it('gives every offered tool to an agent without a tools list', () => {
    expect(names(resolveToolbox({ disallowedTools: [], available }).tools)).toEqual(names(available));
  });

  it('gives exactly the listed tools, in the server order', () => {
    const r = resolveToolbox({ tools: ['Grep', 'Read'], disallowedTools: [], available });
    expect(names(r.tools)).toEqual(['Read', 'Grep']);
    expect(r.warnings).toEqual([]);
  });

  it('reports listed tools the server does not offer and goes on', () => {
    const r = resolveToolbox({ tools: ['Read', 'Bash', 'mcp__context7__get-library-docs'], disallowedTools: [], available });
    expect(names(r.tools)).toEqual(['Read']);
    expect(r.warnings).toHaveLength(2);
    expect(r.warnings[0]).toContain('"Bash"');
    expect(r.warnings[1]).toContain('mcp__context7__get-library-docs');
  });

  it('applies disallowedTools to the inherited set and to the allowlist', () => {
    expect(names(resolveToolbox({ disallowedTools: ['Grep', 'mcp__*'], available }).tools)).toEqual(['Read', 'Glob', 'LS', 'Agent']);
    const r = resolveToolbox({ tools: ['Read', 'Grep'], disallowedTools: ['Grep'], available });
    expect(names(r.tools)).toEqual(['Read']);
    expect(r.warnings).toEqual([]);
  });

  it('expands whole-server entries and Agent(x, y)', () => {
    expect(names(resolveToolbox({ tools: ['mcp__memory'], disallowedTools: [], available }).tools)).toEqual([
      'mcp__memory__read_graph',
      'mcp__memory__create_entities',
    ]);
    expect(names(resolveToolbox({ tools: ['mcp__memory__*', 'Agent(a, b)'], disallowedTools: [], available }).tools)).toEqual([
      'Agent',
      'mcp__memory__read_graph',
      'mcp__memory__create_entities',
    ]);
  });
});

describe('entryMatches', () => {
  it.each([
    ['Read', 'Read', true],
    ['Read', 'ReadX', false],
    ['mcp__memory', 'mcp__memory__read_graph', true],
    ['mcp__memory', 'mcp__memoryx__read_graph', false],
    ['mcp__memory__*', 'mcp__memory__read_graph', true],
    ['mcp__memory__read_graph', 'mcp__memory__read_graph_all', false],
    ['mcp__*', 'mcp__other__x', true],
    ['mcp__*', 'Read', false],
  ])('%s names %s: %s', (entry, tool, expected) => {
    expect(entryMatches(entry, tool)).toBe(expected);
  });
});
