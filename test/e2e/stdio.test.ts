/**
 * The whole path a user takes, over real stdio: the built server, the real MCP client, the
 * real Anthropic SDK inside the server talking to a fake Messages API on 127.0.0.1.
 */
import { mkdtemp, readdir, readFile, rm, writeFile, cp } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolListChangedNotificationSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import type { MessagesRequestBody } from '../fake-anthropic/request.js';
import { reply, text, toolUse } from '../fake-anthropic/steps.js';
import { REPO_ROOT, spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';

const BUNDLED = path.join(REPO_ROOT, 'agents');
const EXPECTED_TOOLS = ['backend-engineer', 'backend-python-expert', 'fastapi-backend-expert', 'llm-app-engineer', 'python-backend-architect'];

let fake: FakeAnthropic;

function textOf(content: object | undefined): string {
  return content && 'text' in content && typeof content.text === 'string' ? content.text : '';
}
function lastBody(index = -1): MessagesRequestBody {
  const body = fake.requests.at(index)?.body;
  if (!body) throw new Error('the fake received no parsable request');
  return body;
}
let workspace: string;
let server: SpawnedServer;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: 'test-key-0123456789' });
  workspace = realpathSync(await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-ws-')));
  await writeFile(path.join(workspace, 'notes.txt'), 'alpha\nbeta\ngamma\n');
  server = await spawnStdioServer(['--agents', BUNDLED, '--workspace', workspace, '--no-watch'], {
    ANTHROPIC_API_KEY: 'test-key-0123456789',
    ANTHROPIC_BASE_URL: fake.url,
  });
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
  await rm(workspace, { recursive: true, force: true });
});

describe('stdio server with the bundled agents', () => {
  it('lists one tool per bundled agent with a prompt input and an output schema', async () => {
    const { tools } = await server.client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(EXPECTED_TOOLS);
    for (const tool of tools) {
      expect(tool.inputSchema.required).toEqual(['prompt']);
      expect(tool.outputSchema?.properties).toHaveProperty('answer');
      expect(tool.description?.length).toBeGreaterThan(10);
      expect(tool.description).not.toContain('<example>');
    }
  });

  it('serves each agent file verbatim as a resource, plus the index', async () => {
    const { resources } = await server.client.listResources();
    expect(resources.map((r) => r.uri).sort()).toEqual(['agents://index', 'agents://runs', ...EXPECTED_TOOLS.map((n) => `agent://${n}`)].sort());
    const files = await readdir(BUNDLED);
    const verbatim = new Set(await Promise.all(files.map((f) => readFile(path.join(BUNDLED, f), 'utf8'))));
    for (const name of EXPECTED_TOOLS) {
      const { contents } = await server.client.readResource({ uri: `agent://${name}` });
      expect(contents[0]?.mimeType).toBe('text/markdown');
      expect(verbatim.has(textOf(contents[0]))).toBe(true);
    }
    const index = JSON.parse(textOf((await server.client.readResource({ uri: 'agents://index' })).contents[0])) as {
      agents: Array<{ tool_name: string; source: string }>;
      skipped: unknown[];
    };
    expect(index.agents.map((a) => a.tool_name).sort()).toEqual(EXPECTED_TOOLS);
    expect(index.skipped).toEqual([]);
  });

  it('answers an unknown resource with a protocol error', async () => {
    await expect(server.client.readResource({ uri: 'agent://nope' })).rejects.toThrow(/Resource not found/);
  });

  it('offers one prompt per agent carrying its system prompt and the task', async () => {
    const { prompts } = await server.client.listPrompts();
    expect(prompts.map((p) => p.name).sort()).toEqual(EXPECTED_TOOLS);
    const got = await server.client.getPrompt({ name: 'llm-app-engineer', arguments: { task: 'Add retries' } });
    const texts = got.messages.map((m) => (m.content.type === 'text' ? m.content.text : ''));
    expect(texts[0]).toContain('You are an LLM application engineer');
    expect(texts[1]).toBe('Add retries');
  });

  it('runs a sub-conversation: the model reads a file through Read, then answers', async () => {
    const notes = path.join(workspace, 'notes.txt');
    fake.script(reply([text('Let me read it.'), toolUse('Read', { file_path: notes }, 'toolu_1')]), (request) => {
      const last = request.body.messages.at(-1) as { content: Array<{ type: string; tool_use_id?: string; content?: unknown }> };
      const result = last.content.find((b) => b.type === 'tool_result');
      expect(result?.tool_use_id).toBe('toolu_1');
      expect(JSON.stringify(result?.content)).toContain('beta');
      return reply([text('The file lists alpha, beta and gamma.')], { usage: { input_tokens: 50, output_tokens: 12 } });
    });

    const result = (await server.client.callTool({ name: 'llm-app-engineer', arguments: { prompt: 'What is in notes.txt?' } })) as CallToolResult;

    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'The file lists alpha, beta and gamma.' }]);
    const sc = result.structuredContent as Record<string, unknown>;
    expect(sc).toMatchObject({ answer: 'The file lists alpha, beta and gamma.', agent: 'llm-app-engineer', stop_reason: 'end_turn', turns: 2 });
    expect(sc['model']).toBe('claude-sonnet-5-5');
    expect(typeof sc['run_id']).toBe('string');
    expect((sc['usage'] as Record<string, number>)['output_tokens']).toBeGreaterThanOrEqual(12);

    expect(fake.requests.at(-2)?.headers['authorization']).toBe('Bearer test-key-0123456789');
    const first = lastBody(-2);
    const system = JSON.stringify(first.system);
    expect(system).toContain('You are an LLM application engineer');
    expect(system).toContain(`Working directory: ${workspace}`);
    expect(first.model).toBe('claude-sonnet-5-5');
    // llm-app-engineer lists no tools, so it inherits every tool the server offers.
    const toolNames = (first.tools as Array<{ name: string }>).map((t) => t.name);
    expect(toolNames).toEqual(expect.arrayContaining(['Read', 'Glob', 'Grep', 'LS']));
    expect(first.messages[0]).toEqual({ role: 'user', content: [{ type: 'text', text: 'What is in notes.txt?', cache_control: { type: 'ephemeral' } }] });
    fake.assertComplete();
  });

  it('offers an agent only the tools it lists that the server has, and reports the rest once, in agents://index', async () => {
    fake.script(reply([text('done')]));
    const result = (await server.client.callTool({ name: 'backend-engineer', arguments: { prompt: 'hi' } })) as CallToolResult;
    const toolNames = (lastBody().tools as Array<{ name: string }>).map((t) => t.name);
    // Its KillBash is today's TaskStop; WebSearch/WebFetch go as the API's server tools.
    expect(toolNames.sort()).toEqual(['Bash', 'BashOutput', 'Edit', 'Glob', 'Grep', 'LS', 'MultiEdit', 'NotebookEdit', 'Read', 'TaskStop', 'TodoWrite', 'Write', 'web_fetch', 'web_search']);
    // The missing tools are a fact about the file, not about this call: the result stays lean.
    expect((result.structuredContent as { warnings?: string[] }).warnings ?? []).toEqual([]);
    const index = JSON.parse(textOf((await server.client.readResource({ uri: 'agents://index' })).contents[0])) as { agents: Array<{ tool_name: string; warnings: string[] }> };
    const indexed = index.agents.find((a) => a.tool_name === 'backend-engineer')?.warnings ?? [];
    expect(indexed.some((w) => w.includes("'mcp__sequential-thinking__sequentialthinking' is not offered"))).toBe(true);
    // `model: inherit` → the server's default model.
    expect(lastBody().model).toBe('claude-sonnet-5-5');
  });

  it('refuses a path outside the workspace with a tool error and the run goes on', async () => {
    fake.script(reply([toolUse('Read', { file_path: '/etc/passwd' }, 'toolu_x')]), (request) => {
      const last = request.body.messages.at(-1) as { content: Array<{ type: string; is_error?: boolean; content?: unknown }> };
      const result = last.content.find((b) => b.type === 'tool_result');
      expect(result?.is_error).toBe(true);
      expect(JSON.stringify(result?.content)).toContain('outside the workspace');
      return reply([text('I may not read that file.')]);
    });
    const result = (await server.client.callTool({ name: 'llm-app-engineer', arguments: { prompt: 'read /etc/passwd' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'I may not read that file.' }]);
    fake.assertComplete();
  });

  it('returns an isError result for invalid arguments, and a protocol error for an unknown tool', async () => {
    const bad = (await server.client.callTool({ name: 'llm-app-engineer', arguments: { task: 'x' } })) as CallToolResult;
    expect(bad.isError).toBe(true);
    expect(JSON.stringify(bad.content)).toContain('prompt');
    await expect(server.client.callTool({ name: 'no-such-agent', arguments: { prompt: 'x' } })).rejects.toThrow(/Unknown tool/);
  });

  it('keeps the API key out of its logs', async () => {
    await server.waitForStderr(/run ended/);
    expect(server.stderr()).not.toContain('test-key-0123456789');
  });
});

describe('stdio server without credentials', () => {
  let bare: SpawnedServer;
  beforeAll(async () => {
    bare = await spawnStdioServer(['--agents', BUNDLED, '--no-watch'], {});
  });
  afterAll(async () => {
    await bare?.close();
  });

  it('still lists the agents, and a call says how to provide a key', async () => {
    const { tools } = await bare.client.listTools();
    expect(tools).toHaveLength(EXPECTED_TOOLS.length);
    const result = (await bare.client.callTool({ name: 'llm-app-engineer', arguments: { prompt: 'hi' } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toContain('ANTHROPIC_API_KEY');
  });
});

describe('hot reload', () => {
  let dir: string;
  let watched: SpawnedServer;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-hot-'));
    await cp(path.join(BUNDLED, 'llm-app-engineer.md'), path.join(dir, 'llm-app-engineer.md'));
    watched = await spawnStdioServer(['--agents', dir], {});
  });
  afterAll(async () => {
    await watched?.close();
    await rm(dir, { recursive: true, force: true });
  });

  function nextToolListChange(): Promise<void> {
    return new Promise((resolve) => watched.client.setNotificationHandler(ToolListChangedNotificationSchema, () => resolve()));
  }

  it('publishes an added agent, keeps the last good version on a broken edit, and drops a removed one', async () => {
    expect((await watched.client.listTools()).tools.map((t) => t.name)).toEqual(['llm-app-engineer']);

    let changed = nextToolListChange();
    await writeFile(path.join(dir, 'reviewer.md'), '---\nname: reviewer\ndescription: Reviews code.\n---\nYou review code.\n');
    await changed;
    expect((await watched.client.listTools()).tools.map((t) => t.name).sort()).toEqual(['llm-app-engineer', 'reviewer']);

    changed = nextToolListChange();
    await writeFile(path.join(dir, 'reviewer.md'), '---\nname: -reviewer\ndescription: Broken now.\n---\nYou review code.\n');
    await changed;
    const afterBroken = await watched.client.listTools();
    expect(afterBroken.tools.find((t) => t.name === 'reviewer')?.description).toBe('Reviews code.');

    changed = nextToolListChange();
    await rm(path.join(dir, 'reviewer.md'));
    await changed;
    expect((await watched.client.listTools()).tools.map((t) => t.name)).toEqual(['llm-app-engineer']);
  });
});
