import { describe, expect, it } from 'vitest';
import { PLAN_KINDS } from './permissions/permission-mode.js';
import { SERVER_TOOL_NAMES, createAllTools } from './all-tools.js';

describe('createAllTools', () => {
  it('makes exactly the tools SERVER_TOOL_NAMES lists, in that order', () => {
    expect(createAllTools().map((tool) => tool.name)).toEqual(SERVER_TOOL_NAMES);
  });

  it('gives each tool the kind of what it does', () => {
    expect(Object.fromEntries(createAllTools().map((tool) => [tool.name, tool.kind]))).toEqual({
      Read: 'read', LS: 'read', Glob: 'read', Grep: 'read', WebSearch: 'read', WebFetch: 'read',
      TodoWrite: 'note',
      Write: 'edit', Edit: 'edit', MultiEdit: 'edit', NotebookEdit: 'edit',
      Bash: 'execute', BashOutput: 'execute', TaskStop: 'execute',
    });
  });

  it('offers in plan mode only the tools that change nothing outside the run', () => {
    expect(createAllTools().filter((tool) => PLAN_KINDS.has(tool.kind)).map((tool) => tool.name)).toEqual(['Read', 'LS', 'Glob', 'Grep', 'TodoWrite', 'WebSearch', 'WebFetch']);
  });
});
