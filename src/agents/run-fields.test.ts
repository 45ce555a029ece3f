import { describe, expect, it } from 'vitest';
import { parseAgentText } from './parse-agent.js';
import { readRunFields } from './run-fields.js';

const line = (): number => 3;

describe('readRunFields', () => {
  it('reads limits, mode, servers and effort into typed values', () => {
    const data = { maxTurns: '7', maxDurationSeconds: 30, maxCostUsd: '0.5', permissionMode: 'manual', mcpServers: 'memory, everything', effort: 'High' };
    expect(readRunFields(data, line)).toEqual({
      fields: { maxTurns: 7, maxDurationSeconds: 30, maxCostUsd: 0.5, permissionMode: 'default', mcpServers: ['memory', 'everything'], effort: 'high' },
      findings: [],
    });
    expect(readRunFields({ mcpServers: { x: { command: 'y' } } }, line).fields.mcpServers).toEqual([{ x: { command: 'y' } }]);
    expect(readRunFields({}, line)).toEqual({ fields: {}, findings: [] });
  });

  it('ignores values it cannot read and says which field and value, at its line', () => {
    const { fields, findings } = readRunFields({ maxTurns: 2.5, maxCostUsd: -1, maxDurationSeconds: 'soon', permissionMode: 'auto', mcpServers: ['memory', 7] }, line);
    expect(fields).toEqual({ mcpServers: ['memory'] });
    expect(findings.map((f) => [f.line, f.code, f.reason.split(' ').slice(0, 1)[0]])).toEqual([
      [3, 'field-value', 'maxTurns'],
      [3, 'field-value', 'maxDurationSeconds'],
      [3, 'field-value', 'maxCostUsd'],
      [3, 'field-value', 'permissionMode'],
      [3, 'field-value', 'mcpServers:'],
    ]);
    expect(findings[0]?.reason).toContain('not 2.5');
    expect(findings[3]?.reason).toContain('"auto" is not one agents-mcp supports');
  });
});

describe('an agent file with `maxTurns: ten`', () => {
  it('loads with a warning that names the field, the value and the line, and without the limit', () => {
    const result = parseAgentText('/a/x.md', '---\nname: x\ndescription: d\nmaxTurns: ten\n---\nbody\n');
    if (result.kind !== 'agent') throw new Error(`skipped: ${result.reason}`);
    expect(result.agent.maxTurns).toBeUndefined();
    expect(result.agent.extra).toEqual({});
    expect(result.agent.warnings).toEqual([
      { file: '/a/x.md', line: 4, code: 'field-value', reason: "maxTurns must be a positive whole number, not ten; it is ignored (the server's limit applies)" },
    ]);
  });
});
