import { describe, expect, it } from 'vitest';
import { readAgentMcpServers, reportAgentServers, selectServers } from './agent-servers.js';
import { readRunFields } from '../../agents/run-fields.js';
import type { UpstreamServerConfig } from './server-config.js';

const stdio = (command: string): UpstreamServerConfig => ({ type: 'stdio', command, args: [], env: {} });
const configured = { memory: stdio('mem'), 'sequential-thinking': stdio('st'), everything: stdio('ev') };
const agent = (fields: { tools?: string[]; disallowedTools?: string[]; mcpServers?: unknown }): Parameters<typeof selectServers>[0] => ({
  ...(fields.tools ? { tools: fields.tools } : {}),
  disallowedTools: fields.disallowedTools ?? [],
  ...readRunFields({ mcpServers: fields.mcpServers }, () => 1).fields,
});
const names = (s: { servers: Array<{ name: string }> }): string[] => s.servers.map((x) => x.name);

describe('selectServers', () => {
  it('gives an agent without a tools list every configured server', () => {
    expect(names(selectServers(agent({}), configured))).toEqual(['memory', 'sequential-thinking', 'everything']);
  });

  it('gives an agent with a tools list only the servers its mcp__ entries name', () => {
    expect(names(selectServers(agent({ tools: ['Read', 'mcp__sequential-thinking__sequentialthinking'] }), configured))).toEqual(['sequential-thinking']);
    expect(names(selectServers(agent({ tools: ['mcp__memory'] }), configured))).toEqual(['memory']);
    expect(names(selectServers(agent({ tools: ['mcp__everything__*'] }), configured))).toEqual(['everything']);
    expect(names(selectServers(agent({ tools: ['mcp__*'] }), configured))).toHaveLength(3);
    expect(names(selectServers(agent({ tools: ['Read', 'Grep'] }), configured))).toEqual([]);
  });

  it('starts nothing for servers whose tools are all disallowed', () => {
    expect(names(selectServers(agent({ disallowedTools: ['mcp__memory'] }), configured))).toEqual(['sequential-thinking', 'everything']);
    expect(names(selectServers(agent({ disallowedTools: ['mcp__*'] }), configured))).toEqual([]);
    // Denying one tool still leaves the others.
    expect(names(selectServers(agent({ tools: ['mcp__memory'], disallowedTools: ['mcp__memory__read_graph'] }), configured))).toEqual(['memory']);
  });

  it('asks for every server when the agent lists a resource tool but names no server', () => {
    expect(names(selectServers(agent({ tools: ['Read', 'ListMcpResourcesTool'] }), configured))).toHaveLength(3);
  });

  it("adds the agent's own mcpServers: configured names, and inline configs the operator allows, inline winning", () => {
    const own = agent({ tools: ['Read', 'mcp__local', 'mcp__everything'], mcpServers: ['memory', { local: { command: 'node', args: ['srv.js'] } }, { everything: { command: 'other' } }] });
    const selection = selectServers(own, configured, { allowAgentServers: true, mode: 'default' });
    expect(selection.servers).toEqual([
      { name: 'memory', config: configured.memory, origin: 'config' },
      { name: 'everything', config: { type: 'stdio', command: 'other', args: [], env: {} }, origin: 'agent' },
      { name: 'local', config: { type: 'stdio', command: 'node', args: ['srv.js'], env: {} }, origin: 'agent' },
    ]);
    expect(selection.warnings).toEqual([]);
  });

  it('starts no inline process without --allow-agent-mcp-servers, without a tools grant, or in plan mode', () => {
    const inline = { mcpServers: [{ pwn: { command: 'sh', args: ['-c', 'id'] } }] };
    const cases = [
      { fields: { tools: ['mcp__pwn'], ...inline }, policy: {}, why: /needs the operator's --allow-agent-mcp-servers/ },
      { fields: { tools: ['Read'], ...inline }, policy: { allowAgentServers: true }, why: /tools do not grant it \(list mcp__pwn in tools\)/ },
      { fields: inline, policy: { allowAgentServers: true }, why: /tools do not grant it/ },
      { fields: { tools: ['mcp__pwn'], ...inline }, policy: { allowAgentServers: true, mode: 'plan' as const }, why: /plan mode never does/ },
    ];
    for (const { fields, policy, why } of cases) {
      const selection = selectServers(agent(fields), {}, policy);
      expect(names(selection)).toEqual([]);
      expect(selection.warnings).toEqual([expect.stringMatching(why)]);
    }
  });

  it('an inline entry that is refused does not displace the configured server of the same name', () => {
    const selection = selectServers(agent({ tools: ['mcp__memory'], mcpServers: [{ memory: { command: 'sh' } }] }), configured);
    expect(selection.servers).toEqual([{ name: 'memory', config: configured.memory, origin: 'config' }]);
  });
});

describe('reportAgentServers', () => {
  it('says which inline servers start processes and whether this server runs them', () => {
    const a = agent({ tools: ['mcp__pwn'], mcpServers: [{ pwn: { command: 'sh', args: ['-c', 'id'] } }, { web: { url: 'https://example.com/mcp' } }] });
    expect(reportAgentServers(a, {})).toEqual([
      { name: 'pwn', does: 'starts a process (sh -c id)', runs: false, reason: expect.stringMatching(/--allow-agent-mcp-servers/) },
      { name: 'web', does: 'connects to https://example.com/mcp', runs: false, reason: expect.stringMatching(/do not grant it/) },
    ]);
    expect(reportAgentServers(a, { allowAgentServers: true })[0]).toEqual({ name: 'pwn', does: 'starts a process (sh -c id)', runs: true });
  });
});

describe('readAgentMcpServers', () => {
  it('reports unknown names and bad inline configs, and keeps the rest', () => {
    const read = readAgentMcpServers(['nope', { bad: { type: 'http' } }, { 'a__b': { command: 'x' } }, { ok: { url: 'https://example.com/mcp' } }], configured);
    expect(read.servers.map((s) => s.name)).toEqual(['ok']);
    expect(read.warnings).toEqual([
      'mcpServers: "nope" is not a configured server (--mcp-config); ignored',
      expect.stringMatching(/^mcpServers\.bad\.url: .*; this server is ignored$/),
      expect.stringMatching(/^mcpServers\.a__b: a server name must not contain "__"/),
    ]);
  });

  it('takes inline values literally: no ${VAR} expansion from the server environment', () => {
    const read = readAgentMcpServers([{ x: { command: 'node', env: { KEY: '${ANTHROPIC_API_KEY}' } } }], configured);
    expect(read.servers[0]?.config).toMatchObject({ env: { KEY: '${ANTHROPIC_API_KEY}' } });
  });
});
