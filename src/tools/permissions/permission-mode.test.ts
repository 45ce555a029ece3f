import { describe, expect, it } from 'vitest';
import { filterToolsForMode, resolveRunPermissionMode } from './permission-mode.js';
import type { Tool } from '../tool.js';

describe('resolveRunPermissionMode', () => {
  it.each([
    ['default', undefined, 'default'],
    ['acceptEdits', 'plan', 'plan'],
    ['acceptEdits', 'default', 'default'],
    ['bypassPermissions', 'acceptEdits', 'acceptEdits'],
    ['default', 'dontAsk', 'dontAsk'],
    ['plan', 'plan', 'plan'],
  ] as const)('server %s, agent %s → %s without a warning', (server, agent, expected) => {
    expect(resolveRunPermissionMode(server, agent)).toEqual({ mode: expected });
  });

  it('never lets an agent loosen the server mode', () => {
    const r = resolveRunPermissionMode('default', 'bypassPermissions');
    expect(r.mode).toBe('default');
    expect(r.warning).toContain('would loosen');
    expect(resolveRunPermissionMode('plan', 'acceptEdits').mode).toBe('plan');
  });
});

describe('filterToolsForMode', () => {
  const tool = (name: string, readOnly: boolean): Tool => ({ name, description: name, inputSchema: { type: 'object' }, kind: readOnly ? 'read' : 'edit', run: async () => ({ content: [] }) });
  const tools = [tool('Read', true), tool('Edit', false), tool('Bash', false)];
  it('offers only read-only tools in plan mode', () => {
    expect(filterToolsForMode(tools, 'plan').map((t) => t.name)).toEqual(['Read']);
    expect(filterToolsForMode(tools, 'default').map((t) => t.name)).toEqual(['Read', 'Edit', 'Bash']);
  });
});
