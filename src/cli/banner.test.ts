import { describe, expect, it } from 'vitest';
import { formatBanner, type BannerInfo } from './banner.js';

const info: BannerInfo = {
  version: '1.2.3',
  command: ['node', '/opt/agents mcp/dist/cli.js'],
  agentDirs: ['/home/me/.claude/agents'],
  explicitDirs: false,
  bundled: false,
  agentCount: 7,
  credentials: 'ANTHROPIC_API_KEY',
  color: false,
};

describe('formatBanner', () => {
  it('says what this is, what it serves, and how to add it to Claude Code and Claude Desktop', () => {
    const text = formatBanner(info);
    expect(text).toContain('agents-mcp 1.2.3 is an MCP server on stdio, waiting for an MCP client');
    expect(text).toContain('7 agents from /home/me/.claude/agents');
    expect(text).toContain('ANTHROPIC_API_KEY is set');
    expect(text).toContain("claude mcp add agents --env ANTHROPIC_API_KEY=… -- node '/opt/agents mcp/dist/cli.js' --agents /home/me/.claude/agents");
    expect(text).toContain('"agents":{"command":"node","args":["/opt/agents mcp/dist/cli.js","--agents","/home/me/.claude/agents"]');
    expect(text).toContain(`node '/opt/agents mcp/dist/cli.js' run <agent> "<task>" --agents /home/me/.claude/agents`);
    expect(text).not.toContain('\u001b[');
  });

  it('says when no key was found, and when the agents are the bundled examples', () => {
    const text = formatBanner({ ...info, credentials: undefined, bundled: true, agentCount: 5 });
    expect(text).toContain('no ANTHROPIC_API_KEY: agents run only for clients that offer MCP sampling');
    expect(text).toContain('(the bundled examples; --agents DIR serves yours)');
  });
});
