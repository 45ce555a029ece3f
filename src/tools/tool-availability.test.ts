import { describe, expect, it } from 'vitest';
import type { Catalog } from '../agents/catalog.js';
import type { AgentDefinition } from '../agents/definition.js';
import { SERVER_TOOL_NAMES } from './all-tools.js';
import { createAllTools } from './all-tools.js';
import { createAgentTool } from './delegation/delegate.js';
import { findUnavailableToolProblems, OFFERED_TOOL_NAMES, withUnavailableToolWarnings } from './tool-availability.js';

function agent(tools: string[] | undefined, disallowedTools: string[] = []): AgentDefinition {
  return {
    name: 'a',
    toolName: 'a',
    title: 'a',
    description: 'd',
    prompt: 'p',
    ...(tools ? { tools } : {}),
    disallowedTools,
    model: 'inherit',
    extra: {},
    file: '/agents/a.md',
    source: '',
    warnings: [],
  };
}

describe('findUnavailableToolProblems', () => {
  it('reports known tools and mcp__ tools the server lacks, once each', () => {
    const problems = findUnavailableToolProblems(agent(['Read', 'Bash', 'TaskStop', 'ListMcpResourcesTool', 'mcp__github__create_issue', 'Agent(reviewer)']), OFFERED_TOOL_NAMES);
    expect(problems.map((p) => p.reason)).toEqual([
      "tools: 'ListMcpResourcesTool' is a Claude Code tool this server does not offer; runs go on without it",
      "tools: 'mcp__github__create_issue' is not offered by this server (no --mcp-config server provides it); runs go on without it",
    ]);
    expect(problems.every((p) => p.code === 'unavailable-tool' && p.file === '/agents/a.md')).toBe(true);
  });

  it('leaves out names the loader already called unknown, disallowed names, and agents without a list', () => {
    expect(findUnavailableToolProblems(agent(['Read', 'FrobnicateTool']), SERVER_TOOL_NAMES)).toEqual([]);
    expect(findUnavailableToolProblems(agent(['Read', 'Skill'], ['Skill']), SERVER_TOOL_NAMES)).toEqual([]);
    expect(findUnavailableToolProblems(agent(undefined), SERVER_TOOL_NAMES)).toEqual([]);
  });
});

describe('OFFERED_TOOL_NAMES', () => {
  it('is the tools a run is built from: the server toolbox and the Agent tool', () => {
    const runTools = [...createAllTools(), createAgentTool({ targets: [{ name: 'x', description: 'd' }] })].map((t) => t.name);
    expect(OFFERED_TOOL_NAMES).toEqual(runTools);
  });

  it('does not call the Agent tool (or its legacy Task) unsupported', () => {
    expect(findUnavailableToolProblems(agent(['Read', 'Agent', 'Agent(reviewer)']), OFFERED_TOOL_NAMES)).toEqual([]);
  });

  it('counts every tool of a configured upstream server as offered', () => {
    const a = agent(['mcp__memory__create_entities', 'mcp__github', 'mcp__other__x']);
    expect(findUnavailableToolProblems(a, OFFERED_TOOL_NAMES, { upstreamServers: ['memory', 'github'] }).map((p) => p.reason)).toEqual([
      "tools: 'mcp__other__x' is not offered by this server (no --mcp-config server provides it); runs go on without it",
    ]);
  });
});

describe('withUnavailableToolWarnings', () => {
  it('adds the warnings to the agents and the count', () => {
    const a = agent(['Read', 'Skill']);
    const catalog: Catalog = { agents: [a], byToolName: new Map([['a', a]]), skipped: [], warningCount: 0 };
    const out = withUnavailableToolWarnings(catalog, SERVER_TOOL_NAMES);
    expect(out.warningCount).toBe(1);
    expect(out.agents[0]?.warnings).toHaveLength(1);
    expect(out.byToolName.get('a')?.warnings).toHaveLength(1);
    expect(catalog.agents[0]?.warnings).toHaveLength(0);
  });
});
