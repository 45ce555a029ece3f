/**
 * `--expose single` over real stdio: the built server, the real MCP client, and the real
 * Anthropic SDK inside the server talking to the fake Messages API.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { reply, text } from '../fake-anthropic/steps.js';
import { REPO_ROOT, spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';

const BUNDLED = path.join(REPO_ROOT, 'agents');
const AGENTS = ['backend-engineer', 'backend-python-expert', 'fastapi-backend-expert', 'llm-app-engineer', 'python-backend-architect'];
const API_KEY = 'test-key-single-0123456789';

let fake: FakeAnthropic;
let server: SpawnedServer;

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: API_KEY });
  server = await spawnStdioServer(['--agents', BUNDLED, '--expose', 'single', '--no-watch'], {
    ANTHROPIC_API_KEY: API_KEY,
    ANTHROPIC_BASE_URL: fake.url,
  });
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
});

describe('--expose single', () => {
  it('lists delegate and list_agents instead of one tool per agent, naming the agents in delegate', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name)).toEqual(['delegate', 'list_agents']);
    const delegate = tools[0];
    expect(delegate?.inputSchema.required).toEqual(['agent', 'prompt']);
    for (const name of AGENTS) expect(delegate?.description).toContain(name);
  });

  it('keeps a resource and a prompt per agent', async () => {
    const { resources } = await server.client.listResources();
    expect(resources.map((r) => r.uri)).toEqual(expect.arrayContaining(['agents://index', ...AGENTS.map((n) => `agent://${n}`)]));
    expect((await server.client.listPrompts()).prompts.map((p) => p.name).sort()).toEqual(AGENTS);
  });

  it('list_agents gives each agent with a one-line description', async () => {
    const result = (await server.client.callTool({ name: 'list_agents', arguments: {} })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    const lines = textOf(result).split('\n');
    expect(lines.map((l) => l.split(':')[0]).sort()).toEqual(AGENTS);
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(200);
    const filtered = (await server.client.callTool({ name: 'list_agents', arguments: { query: 'fastapi' } })) as CallToolResult;
    const names = textOf(filtered).split('\n').map((l) => l.split(':')[0]);
    expect(names).toContain('fastapi-backend-expert');
    expect(names).not.toContain('llm-app-engineer');
  });

  it('delegate runs the named agent against the model and returns its answer', async () => {
    fake.script(reply([text('Delegated answer.')]));
    const result = (await server.client.callTool({ name: 'delegate', arguments: { agent: 'llm-app-engineer', prompt: 'Plan retries.' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('Delegated answer.');
    expect(result.structuredContent).toMatchObject({ agent: 'llm-app-engineer', stop_reason: 'end_turn', turns: 1 });
    const body = fake.requests.at(-1)?.body;
    expect(JSON.stringify(body?.system)).toContain('You are an LLM application engineer');
    expect(body?.messages[0]).toMatchObject({ role: 'user', content: [{ type: 'text', text: 'Plan retries.' }] });
    fake.assertComplete();
  });

  it('answers an unknown agent with an isError result listing the agents, without calling the model', async () => {
    const before = fake.requests.length;
    const result = (await server.client.callTool({ name: 'delegate', arguments: { agent: 'no-such-agent', prompt: 'x' } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('Unknown agent "no-such-agent"');
    for (const name of AGENTS) expect(textOf(result)).toContain(name);
    expect(fake.requests.length).toBe(before);
  });

  it('does not publish the agents as tools of their own', async () => {
    await expect(server.client.callTool({ name: 'llm-app-engineer', arguments: { prompt: 'x' } })).rejects.toThrow(/Unknown tool/);
  });
});
