import { describe, expect, it } from 'vitest';
import { readAgentMcpServers, selectServers } from './agent-servers.js';
import type { UpstreamServerConfig } from './server-config.js';

const stdio = (command: string): UpstreamServerConfig => ({ type: 'stdio', command, args: [], env: {} });
const configured = { memory: stdio('mem'), 'sequential-thinking': stdio('st'), everything: stdio('ev') };
const agent = (fields: { tools?: string[]; disallowedTools?: string[]; mcpServers?: unknown }): Parameters<typeof selectServers>[0] => ({
  ...(fields.tools ? { tools: fields.tools } : {}),
  disallowedTools: fields.disallowedTools ?? [],
  extra: fields.mcpServers === undefined ? {} : { mcpServers: fields.mcpServers },
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

  it("adds the agent's own mcpServers: configured names and inline configs, inline winning", () => {
    const own = agent({ tools: ['Read'], mcpServers: ['memory', { local: { command: 'node', args: ['srv.js'] } }, { everything: { command: 'other' } }] });
    const selection = selectServers(own, configured);
    expect(selection.servers).toEqual([
      { name: 'memory', config: configured.memory, origin: 'config' },
      { name: 'everything', config: { type: 'stdio', command: 'other', args: [], env: {} }, origin: 'agent' },
      { name: 'local', config: { type: 'stdio', command: 'node', args: ['srv.js'], env: {} }, origin: 'agent' },
    ]);
    expect(selection.warnings).toEqual([]);
  });
});

describe('readAgentMcpServers', () => {
  it('reports unknown names and bad inline configs, and keeps the rest', () => {
    const read = readAgentMcpServers(['nope', { bad: { type: 'http' } }, 7, { 'a__b': { command: 'x' } }, { ok: { url: 'https://example.com/mcp' } }], configured);
    expect(read.servers.map((s) => s.name)).toEqual(['ok']);
    expect(read.warnings).toEqual([
      'mcpServers: "nope" is not a configured server (--mcp-config); ignored',
      expect.stringMatching(/^mcpServers\.bad\.url: .*; this server is ignored$/),
      'mcpServers: an entry that is neither a server name nor {name: config} was ignored',
      expect.stringMatching(/^mcpServers\.a__b: a server name must not contain "__"/),
    ]);
  });

  it('reads a comma-separated string and a bare map too', () => {
    expect(readAgentMcpServers('memory, everything', configured).servers.map((s) => s.name)).toEqual(['memory', 'everything']);
    expect(readAgentMcpServers({ x: { command: 'y' } }, configured).servers.map((s) => s.name)).toEqual(['x']);
  });

  it('takes inline values literally: no ${VAR} expansion from the server environment', () => {
    const read = readAgentMcpServers([{ x: { command: 'node', env: { KEY: '${ANTHROPIC_API_KEY}' } } }], configured);
    expect(read.servers[0]?.config).toMatchObject({ env: { KEY: '${ANTHROPIC_API_KEY}' } });
  });
});
