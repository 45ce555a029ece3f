/**
 * The Agent tool's allow-list, pinned: which catalog agents an agent's `tools` lets it start
 * (`Agent`, `Agent(x)`, legacy `Task(x)`), how the names on the list match (the agent's name as
 * written or its tool name, case as written), and which `subagent_type` the model must send.
 */
import { describe, expect, it } from 'vitest';
import { agentFromText } from '../../test/helpers/agents.js';
import type { AgentDefinition } from '../agents/definition.js';
import { textResult, type ToolContext } from '../tools/tool.js';
import type { NestedCall } from './nested-run.js';
import { noRunResult } from './result.js';
import { assembleRunTools } from './run-tools.js';

const backend = agentFromText('name: Backend Engineer\ndescription: Builds the server.');
const reviewer = agentFromText('name: reviewer\ndescription: Reviews code.');
const tester = agentFromText('name: tester\ndescription: Writes tests.');
const catalog: AgentDefinition[] = [backend, reviewer, tester];

/** The Agent tool an agent with `tools` gets, and the nested calls it made. */
async function agentToolOf(tools: string, agents: () => Iterable<AgentDefinition> = () => catalog) {
  const parent = agentFromText(`name: parent\ndescription: Plans.\ntools: ${tools}`);
  const started: NestedCall[] = [];
  const extra = await assembleRunTools({
    agent: parent,
    chain: [{ agent: 'parent', run_id: 'r-parent' }],
    signal: new AbortController().signal,
    maxDepth: 5,
    delegation: { agents },
    call: async (nested) => {
      started.push(nested);
      return { ...noRunResult({ runId: 'r-child', agent: nested.agent.name, model: 'm', stopReason: 'end_turn' }), answer: `${nested.agent.name} done` };
    },
  });
  const tool = extra.tools.find((t) => t.name === 'Agent');
  const ctx: ToolContext = { signal: new AbortController().signal, roots: ['/tmp'], runId: 'r-parent', ...extra.toolContext };
  const start = async (subagentType: string) => {
    if (!tool?.run) throw new Error('no Agent tool');
    const result = await tool.run({ description: 'd', prompt: 'p', subagent_type: subagentType }, ctx);
    return { isError: result.isError === true, text: result.content.map((c) => ('text' in c ? c.text : '')).join('') };
  };
  return { tool, warnings: extra.warnings, started, start };
}

describe('the Agent tool allow-list', () => {
  it('a plain Agent entry (or legacy Task) lets an agent start any agent of the catalog', async () => {
    for (const tools of ['Read, Agent', 'Read, Task']) {
      const { tool, start, started } = await agentToolOf(tools);
      expect(tool?.description).toContain('- reviewer: Reviews code.');
      expect(tool?.description).toContain('- Backend Engineer: Builds the server.');
      expect(await start('tester')).toEqual({ isError: false, text: 'tester done' });
      expect(started.map((n) => n.agent)).toEqual([tester]);
    }
  });

  it('Agent(x) and legacy Task(x) let it start only the agents named; any other name is refused', async () => {
    for (const tools of ['Read, Agent(reviewer)', 'Read, Task(reviewer)']) {
      const { tool, start, started } = await agentToolOf(tools);
      expect(tool?.description).toContain('- reviewer: Reviews code.');
      expect(tool?.description).not.toContain('tester');
      expect(await start('tester')).toEqual({ isError: true, text: 'Agent: no agent type "tester" is available to you. Available: reviewer.' });
      expect(await start('reviewer')).toEqual({ isError: false, text: 'reviewer done' });
      expect(started.map((n) => n.agent.name)).toEqual(['reviewer']);
    }
  });

  it('a name on the list matches the agent name as written or its tool name, in the case written', async () => {
    expect((await agentToolOf('Agent(Backend Engineer)')).tool?.description).toContain('- Backend Engineer:');
    expect((await agentToolOf('Agent(backend-engineer)')).tool?.description).toContain('- Backend Engineer:');
    // Neither the name nor the tool name: not on the list, so no Agent tool at all.
    for (const other of ['Agent(backend engineer)', 'Agent(BACKEND-ENGINEER)', 'Agent(Reviewer)']) {
      const { tool, warnings } = await agentToolOf(`Read, ${other}`);
      expect(tool).toBeUndefined();
      expect(warnings.join(' ')).toContain('none of the agents it may start');
    }
  });

  it('the model must send the agent name as listed; its tool name or another case is refused', async () => {
    const { start, started } = await agentToolOf('Agent(backend-engineer)');
    for (const sent of ['backend-engineer', 'backend engineer', 'BACKEND ENGINEER']) {
      expect(await start(sent)).toEqual({ isError: true, text: `Agent: no agent type "${sent}" is available to you. Available: Backend Engineer.` });
    }
    expect(await start('Backend Engineer')).toEqual({ isError: false, text: 'Backend Engineer done' });
    expect(started.map((n) => n.agent)).toEqual([backend]);
  });

  it('an agent gone from the catalog since the run started is not started', async () => {
    let agents: AgentDefinition[] = catalog;
    const { start, started } = await agentToolOf('Agent(reviewer)', () => agents);
    agents = [backend, tester];
    expect(await start('reviewer')).toEqual({ isError: true, text: 'Agent: no agent "reviewer" is in the catalog any more; pick another one.' });
    expect(started).toEqual([]);
  });

  it('an agent renamed since the run started, off the list under its new name, is not started', async () => {
    let agents: AgentDefinition[] = catalog;
    const { start, started } = await agentToolOf('Agent(Backend Engineer)', () => agents);
    // Same tool name, new name: "backend engineer" is not what the list names.
    agents = [agentFromText('name: backend engineer\ndescription: Builds the server.'), reviewer, tester];
    expect((await start('Backend Engineer')).isError).toBe(true);
    expect(started).toEqual([]);
  });
});
