import { describe, expect, it } from 'vitest';
import { buildCatalog } from '../agents/catalog.js';
import type { AgentDefinition } from '../agents/definition.js';
import { parseAgentText } from '../agents/parse-agent.js';
import {
  DELEGATE_NAMES_MAX_CHARS,
  DELEGATE_TOOL,
  LIST_AGENTS_MAX,
  LIST_AGENTS_TOOL,
  listAgents,
  listNames,
  routeSingleModeCall,
} from './expose-single.js';
import { buildListings } from './listings.js';

function agent(name: string, description = `The ${name} agent. It does ${name} things.`): AgentDefinition {
  const result = parseAgentText(`/agents/${name}.md`, `---\nname: ${name}\ndescription: ${description}\n---\nYou are ${name}.\n`);
  if (result.kind !== 'agent') throw new Error(`fixture ${name} did not parse: ${result.reason}`);
  return result.agent;
}

function catalogOf(count: number) {
  const entries = Array.from({ length: count }, (_, i) => ({
    file: `/agents/a${i}.md`,
    dirIndex: 0,
    relPath: `a${i}.md`,
    result: { kind: 'agent' as const, agent: agent(`agent-${String(i).padStart(4, '0')}`) },
  }));
  return buildCatalog(entries);
}

function textOf(result: unknown): string {
  const content = (result as { content?: Array<{ text?: string }> }).content;
  return content?.map((c) => c.text ?? '').join('') ?? '';
}

describe('listNames', () => {
  it('names every agent when they fit', () => {
    expect(listNames(['a', 'b', 'c'])).toBe('a, b, c');
  });

  it('stops at the character budget and counts the rest', () => {
    const names = Array.from({ length: 500 }, (_, i) => `agent-${i}`);
    const out = listNames(names);
    expect(out.length).toBeLessThanOrEqual(DELEGATE_NAMES_MAX_CHARS + 20);
    const shown = out.replace(/ and \d+ more$/, '').split(', ');
    expect(out).toMatch(new RegExp(` and ${500 - shown.length} more$`));
  });
});

describe('single-mode listing', () => {
  it('offers delegate and list_agents only, and its size stays flat from 300 to 3,000 agents', () => {
    const sizes = [300, 3000].map((n) => {
      const listings = buildListings(catalogOf(n), { toolDescriptions: 'compact', expose: 'single' });
      expect(listings.tools.map((t) => t.name)).toEqual([DELEGATE_TOOL, LIST_AGENTS_TOOL]);
      // Resources and prompts still cover every agent.
      expect(listings.prompts).toHaveLength(n);
      return JSON.stringify(listings.tools).length;
    });
    expect(Math.abs((sizes[1] ?? 0) - (sizes[0] ?? 0))).toBeLessThan(10);
  });

  it('names the agents in the delegate description', () => {
    const listings = buildListings(catalogOf(3), { toolDescriptions: 'compact', expose: 'single' });
    expect(listings.tools[0]?.description).toContain('agent-0000, agent-0001, agent-0002');
  });
});

describe('listAgents', () => {
  const agents = [agent('sql-expert', 'Writes and tunes SQL queries.'), agent('react-expert', 'Builds React components.')];

  it('gives one line per agent: tool name and a one-line description', () => {
    expect(listAgents(agents)).toBe('sql-expert: Writes and tunes SQL queries.\nreact-expert: Builds React components.');
  });

  it('keeps agents matching every word of the query', () => {
    expect(listAgents(agents, 'SQL tunes')).toBe('sql-expert: Writes and tunes SQL queries.');
    expect(listAgents(agents, 'cobol')).toMatch(/No agent matches "cobol"/);
  });

  it('lists at most LIST_AGENTS_MAX agents and says how many more there are', () => {
    const many = catalogOf(LIST_AGENTS_MAX + 5).agents;
    const lines = listAgents(many).split('\n');
    expect(lines).toHaveLength(LIST_AGENTS_MAX + 1);
    expect(lines.at(-1)).toBe('… and 5 more; narrow them down with query.');
  });
});

describe('routeSingleModeCall', () => {
  const { byToolName } = catalogOf(3);

  it('turns delegate into a call of the named agent, by tool name or by name as written', () => {
    expect(routeSingleModeCall(byToolName, { name: DELEGATE_TOOL, arguments: { agent: 'agent-0001', prompt: 'go' } })).toEqual({
      name: 'agent-0001',
      arguments: { prompt: 'go' },
    });
    expect(routeSingleModeCall(byToolName, { name: DELEGATE_TOOL, arguments: { agent: 'Agent 0002', prompt: 'go' } })).toMatchObject({ name: 'agent-0002' });
  });

  it('passes any other argument on to the agent tool', () => {
    expect(routeSingleModeCall(byToolName, { name: DELEGATE_TOOL, arguments: { agent: 'agent-0001', prompt: 'go', resume: 'run-1' } })).toEqual({
      name: 'agent-0001',
      arguments: { prompt: 'go', resume: 'run-1' },
    });
  });

  it('answers an unknown agent with an isError result that lists the agents', () => {
    const result = routeSingleModeCall(byToolName, { name: DELEGATE_TOOL, arguments: { agent: 'nope', prompt: 'go' } });
    expect(result).toMatchObject({ isError: true });
    expect(textOf(result)).toContain('Unknown agent "nope". Agents: agent-0000, agent-0001, agent-0002.');
  });

  it('answers missing arguments with an isError result naming the fields', () => {
    const result = routeSingleModeCall(byToolName, { name: DELEGATE_TOOL, arguments: { agent: 'agent-0000' } });
    expect(result).toMatchObject({ isError: true });
    expect(textOf(result)).toMatch(/Invalid arguments for delegate: prompt: .*"prompt": "<the task>"/);
  });

  it('leaves other tool names, agent tools included, to the caller', () => {
    expect(routeSingleModeCall(byToolName, { name: 'agent-0000', arguments: { prompt: 'go' } })).toBeUndefined();
  });
});
