/**
 * No API key: the built server over real stdio runs agents on the calling client's model
 * through MCP sampling. The client is the real MCP SDK Client with a scripted sampling handler;
 * the server's environment holds no ANTHROPIC_* variable unless a test says so.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult, ToolResultContent, ToolUseContent } from '@modelcontextprotocol/sdk/types.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { reply, text } from '../fake-anthropic/steps.js';
import { hangUntilCancelled, installScriptedSampling, samplingReply, samplingText, samplingToolUse, type ScriptedSampling } from '../helpers/scripted-sampling.js';
import { spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';

const READER = `---
name: reader
description: Reads files in the workspace and reports what they say.
model: sonnet
tools: Read
---
You are the reader agent. Read the files you are asked about and report their contents.
`;
// Lists only a tool no server offers, so it runs with no tools at all.
const THINKER = `---
name: thinker
description: Answers from its own knowledge, without tools.
tools: mcp__nowhere__nothing
---
You are the thinker agent. Answer briefly.
`;

let agentsDir: string;
let workspace: string;

beforeAll(async () => {
  agentsDir = await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-sampling-agents-'));
  await writeFile(path.join(agentsDir, 'reader.md'), READER);
  await writeFile(path.join(agentsDir, 'thinker.md'), THINKER);
  workspace = realpathSync(await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-sampling-ws-')));
  await writeFile(path.join(workspace, 'notes.txt'), 'alpha\nbeta\ngamma\n');
});

afterAll(async () => {
  await rm(agentsDir, { recursive: true, force: true });
  await rm(workspace, { recursive: true, force: true });
});

function args(): string[] {
  return ['--agents', agentsDir, '--workspace', workspace, '--no-watch', '--max-output-tokens', '4321'];
}

function textOf(result: CallToolResult): string {
  return result.content.map((c) => (c.type === 'text' ? c.text : '')).join('');
}

describe('no ANTHROPIC_* set, client declares sampling with tools', () => {
  let server: SpawnedServer;
  let sampling: ScriptedSampling;
  beforeAll(async () => {
    server = await spawnStdioServer(args(), {}, undefined, { capabilities: { sampling: { tools: {} } } });
    sampling = installScriptedSampling(server.client);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('runs an agent end to end on the client model: a Read of a workspace file, then the answer', async () => {
    const notes = path.join(workspace, 'notes.txt');
    sampling.script(
      () => samplingReply([samplingText('Let me read it.'), samplingToolUse('Read', { file_path: notes }, 'call_1')]),
      () => samplingReply([samplingText('notes.txt lists alpha, beta and gamma.')], { model: 'client-model-2', usage: { input_tokens: 120, output_tokens: 15 } }),
    );

    const result = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'What is in notes.txt?' } })) as CallToolResult;

    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('notes.txt lists alpha, beta and gamma.');
    expect(result.structuredContent).toMatchObject({
      backend: 'sampling',
      model: 'client-model-2',
      stop_reason: 'end_turn',
      turns: 2,
      usage: { input_tokens: 120, output_tokens: 15, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
    });

    const [first, second] = sampling.requests;
    expect(first?.systemPrompt).toContain('You are the reader agent.');
    expect(first?.systemPrompt).toContain(`Working directory: ${workspace}`);
    expect(first?.tools?.map((t) => t.name)).toEqual(['Read']);
    expect(first?.tools?.[0]?.inputSchema.required).toContain('file_path');
    expect(first?.modelPreferences).toEqual({ hints: [{ name: 'sonnet' }] });
    expect(first?.maxTokens).toBe(4321);
    expect(first?.messages).toEqual([{ role: 'user', content: [{ type: 'text', text: 'What is in notes.txt?' }] }]);

    // The second turn carries the whole history: the assistant's tool call and our tool result.
    expect(second?.messages).toHaveLength(3);
    const [, assistant, toolTurn] = second!.messages;
    expect(assistant?.role).toBe('assistant');
    const use = (assistant?.content as ToolUseContent[]).find((b) => b.type === 'tool_use');
    expect(use).toEqual({ type: 'tool_use', id: 'call_1', name: 'Read', input: { file_path: notes } });
    expect(toolTurn?.role).toBe('user');
    const results = toolTurn?.content as ToolResultContent[];
    expect(results.map((b) => [b.type, b.toolUseId, b.isError ?? false])).toEqual([['tool_result', 'call_1', false]]);
    expect(JSON.stringify(results[0]?.content)).toContain('beta');
    sampling.assertComplete();

    await server.waitForStderr(/"sampling":"with tools".*client connected/);
    await server.waitForStderr(/"backend":"sampling".*run started/);
  });

  it('sends no tools for an agent without tools and no model preference for inherit', async () => {
    sampling.script(() => samplingReply([samplingText('Forty-two.')]));
    const result = (await server.client.callTool({ name: 'thinker', arguments: { prompt: 'The answer?' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('Forty-two.');
    const last = sampling.requests.at(-1);
    expect(last).not.toHaveProperty('tools');
    expect(last).not.toHaveProperty('modelPreferences');
    sampling.assertComplete();
  });

  it('cancels the sampling request when the caller cancels the tool call, and keeps serving', async () => {
    const hang = hangUntilCancelled();
    sampling.script(hang.step);
    const before = sampling.requests.length;
    const controller = new AbortController();
    const call = server.client.callTool({ name: 'thinker', arguments: { prompt: 'Think forever.' } }, undefined, { signal: controller.signal });
    await sampling.waitForRequests(before + 1);
    controller.abort();
    await expect(call).rejects.toThrow();
    await hang.cancelled;

    sampling.script(() => samplingReply([samplingText('Still here.')]));
    const after = (await server.client.callTool({ name: 'thinker', arguments: { prompt: 'Are you there?' } })) as CallToolResult;
    expect(textOf(after)).toBe('Still here.');
    sampling.assertComplete();
  });
});

describe('no ANTHROPIC_* set, client declares sampling without tools', () => {
  let server: SpawnedServer;
  let sampling: ScriptedSampling;
  beforeAll(async () => {
    server = await spawnStdioServer(args(), {}, undefined, { capabilities: { sampling: {} } });
    sampling = installScriptedSampling(server.client);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('runs an agent without tools', async () => {
    sampling.script(() => samplingReply([samplingText('Plain answer.')]));
    const result = (await server.client.callTool({ name: 'thinker', arguments: { prompt: 'hi' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('Plain answer.');
    expect(result.structuredContent).toMatchObject({ backend: 'sampling' });
    sampling.assertComplete();
  });

  it('refuses an agent with tools, naming the missing sampling.tools capability, and sends nothing', async () => {
    const before = sampling.requests.length;
    const result = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'read notes.txt' } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('sampling.tools');
    expect(textOf(result)).toContain('Read');
    expect(textOf(result)).toContain('ANTHROPIC_API_KEY');
    expect(sampling.requests.length).toBe(before);
    sampling.assertComplete();
  });
});

describe('auto with credentials set and a sampling-capable client', () => {
  let fake: FakeAnthropic;
  let server: SpawnedServer;
  let sampling: ScriptedSampling;
  beforeAll(async () => {
    fake = await startFakeAnthropic({ apiKey: 'test-key-sampling-0123' });
    server = await spawnStdioServer(args(), { ANTHROPIC_API_KEY: 'test-key-sampling-0123', ANTHROPIC_BASE_URL: fake.url }, undefined, { capabilities: { sampling: { tools: {} } } });
    sampling = installScriptedSampling(server.client);
  });
  afterAll(async () => {
    await server?.close();
    await fake?.close();
  });

  it('runs on the Anthropic API and asks the client for nothing', async () => {
    fake.script(reply([text('From the API.')]));
    const result = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'hi' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(textOf(result)).toBe('From the API.');
    expect(result.structuredContent).toMatchObject({ backend: 'anthropic' });
    expect(fake.requests).toHaveLength(1);
    expect(sampling.requests).toHaveLength(0);
    fake.assertComplete();
    sampling.assertComplete();
  });
});

describe('no ANTHROPIC_* set and a client without sampling', () => {
  let server: SpawnedServer;
  beforeAll(async () => {
    server = await spawnStdioServer(args(), {});
  });
  afterAll(async () => {
    await server?.close();
  });

  it('returns isError explaining both ways to get a model', async () => {
    const result = (await server.client.callTool({ name: 'thinker', arguments: { prompt: 'hi' } })) as CallToolResult;
    expect(result.isError).toBe(true);
    expect(textOf(result)).toContain('ANTHROPIC_API_KEY');
    expect(textOf(result)).toContain('sampling');
    expect(result.structuredContent).toMatchObject({ backend: 'none', stop_reason: 'error' });
    await server.waitForStderr(/"kind":"no_backend".*run refused/);
  });
});

describe('resume on sampling, after a run stopped right after its tool results', () => {
  let server: SpawnedServer;
  let sampling: ScriptedSampling;
  beforeAll(async () => {
    server = await spawnStdioServer([...args(), '--max-turns', '1'], {}, undefined, { capabilities: { sampling: { tools: {} } } });
    sampling = installScriptedSampling(server.client);
  });
  afterAll(async () => {
    await server?.close();
  });

  it('sends the tool results alone and the follow-up in its own message, which the MCP SDK accepts', async () => {
    const notes = path.join(workspace, 'notes.txt');
    sampling.script(() => samplingReply([samplingToolUse('Read', { file_path: notes }, 'call_r')]));
    const first = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'Read notes.txt.' } })) as CallToolResult;
    expect(first.structuredContent).toMatchObject({ stop_reason: 'max_turns' });
    const runId = (first.structuredContent as { run_id: string }).run_id;

    sampling.script(() => samplingReply([samplingText('It lists alpha, beta and gamma.')]));
    const resumed = (await server.client.callTool({ name: 'reader', arguments: { prompt: 'So what does it say?', resume: runId } })) as CallToolResult;

    expect(resumed.isError).toBeFalsy();
    expect(textOf(resumed)).toBe('It lists alpha, beta and gamma.');
    const messages = sampling.requests.at(-1)!.messages;
    expect(messages.slice(-2).map((m) => (Array.isArray(m.content) ? m.content : [m.content]).map((c) => c.type))).toEqual([['tool_result'], ['text']]);
    sampling.assertComplete();
  });
});
