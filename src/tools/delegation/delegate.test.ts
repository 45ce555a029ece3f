import { describe, expect, it } from 'vitest';
import { AGENT_LIST_BUDGET_CHARS, allowedSubagents, ANY_AGENT, createAgentTool } from './delegate.js';
import type { NestedRunRequest, ToolContext } from '../tool.js';
import { textResult } from '../tool.js';

const targets = [
  { name: 'reviewer', description: 'Reviews code.' },
  { name: 'tester', description: 'Writes tests.' },
];
const baseCtx: ToolContext = { signal: new AbortController().signal, roots: ['/tmp'], runId: 'r' };

describe('allowedSubagents', () => {
  it('reads Agent and Agent(x, y) entries', () => {
    expect(allowedSubagents(undefined)).toBe(ANY_AGENT);
    expect(allowedSubagents(['Read', 'Agent'])).toBe(ANY_AGENT);
    expect(allowedSubagents(['Agent(reviewer, tester)', 'Agent(tester, docs)'])).toEqual(['reviewer', 'tester', 'docs']);
    expect(allowedSubagents(['Read'])).toEqual([]);
  });
});

describe('the Agent tool', () => {
  it("has Claude Code's input schema and lists the agents it may start", () => {
    const tool = createAgentTool({ targets, listed: targets.slice(1) });
    expect(tool.name).toBe('Agent');
    expect(tool.inputSchema.required).toEqual(['description', 'prompt', 'subagent_type']);
    expect(Object.keys(tool.inputSchema.properties ?? {})).toEqual(['description', 'prompt', 'subagent_type', 'model']);
    expect(tool.description).toContain('- tester: Writes tests.');
    expect(tool.description).not.toContain('reviewer');
  });

  it('hands a valid call to runNested with the model override', async () => {
    const seen: NestedRunRequest[] = [];
    const ctx: ToolContext = { ...baseCtx, runNested: async (r) => (seen.push(r), textResult('child answer')) };
    const result = await createAgentTool({ targets }).run({ description: 'review', prompt: 'Review x', subagent_type: 'reviewer', model: 'haiku' }, ctx);
    expect(result).toEqual({ content: [{ type: 'text', text: 'child answer' }] });
    // The call's own signal (the run's cancel and deadline) goes with it.
    expect(seen).toEqual([{ agent: 'reviewer', prompt: 'Review x', description: 'review', model: 'haiku', signal: baseCtx.signal }]);
  });

  it('refuses an agent it may not start, and says so when delegation is unavailable', async () => {
    const tool = createAgentTool({ targets });
    const unknown = await tool.run({ description: 'd', prompt: 'p', subagent_type: 'docs' }, { ...baseCtx, runNested: async () => textResult('no') });
    expect(unknown.isError).toBe(true);
    expect(JSON.stringify(unknown.content)).toContain('no agent type \\"docs\\" is available to you. Available: reviewer, tester.');
    const noNested = await tool.run({ description: 'd', prompt: 'p', subagent_type: 'tester' }, baseCtx);
    expect(JSON.stringify(noNested.content)).toContain('delegation is not available in this run');
    const bad = await tool.run({ prompt: 'p' }, baseCtx);
    expect(JSON.stringify(bad.content)).toContain('subagent_type: required');
  });

  it('lists agents past the description budget by name only', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ name: `agent-${i}`, description: 'd'.repeat(100) }));
    const description = createAgentTool({ targets: many }).description;
    expect(description.length).toBeLessThan(AGENT_LIST_BUDGET_CHARS + 3000);
    expect(description).toMatch(/- and \d+ more: agent-\d+, .*agent-199$/);
  });
});
