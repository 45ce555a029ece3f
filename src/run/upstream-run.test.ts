/**
 * A run with real upstream MCP servers (from npm, and a 2026-only one built on SDK v2, started over
 * real stdio by the pool) and the real Anthropic SDK talking to the fake Messages API.
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { reply, text, toolUse } from '../../test/fake-anthropic/steps.js';
import { agentFromText, lastMessageBlocks, lastToolResult, offeredTools } from '../../test/helpers/agents.js';
import { brokenServer, everythingServer, modernServer } from '../../test/helpers/upstream-servers.js';
import { DEFAULT_MODEL_ALIASES } from '../agents/models.js';
import { createLogger } from '../log.js';
import { createFileTools } from '../tools/files/registry.js';
import { createUpstreamPool, type UpstreamPool } from '../tools/upstream/pool.js';
import { createUpstreamToolSource } from '../tools/upstream/tool-source.js';
import { createAnthropicClient } from './anthropic.js';
import { prepareAndRun, type RunDeps } from './prepare-and-run.js';
import type { CallEvent } from './call-context.js';

const KEY = 'k-test-upstream-run';
const configured = { everything: everythingServer(), broken: brokenServer('fatal: BROKEN_TOKEN is not set'), modern: modernServer() };
const everything = { name: 'everything', config: configured.everything, origin: 'config' as const };

let fake: FakeAnthropic;
let pool: UpstreamPool;
let deps: RunDeps;
let workspace: string;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'agents-mcp-up-')));
  const logger = createLogger({ level: 'silent' });
  pool = createUpstreamPool({ logger, clientInfo: { name: 'agents-mcp-test', version: '0.0.0' } });
  deps = {
    settings: { defaultModel: 'claude-sonnet-5-5', modelAliases: DEFAULT_MODEL_ALIASES, maxTurns: 10, maxOutputTokens: 1000, roots: [workspace] },
    tools: createFileTools(),
    client: createAnthropicClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 }),
    logger,
    upstream: createUpstreamToolSource({ configured, pool }),
  };
});
afterAll(async () => {
  await pool?.close();
  await fake?.close();
  rmSync(workspace, { recursive: true, force: true });
});

const echoAgent = agentFromText('name: echoer\ndescription: Echoes.\ntools: Read, mcp__everything__echo, mcp__everything__trigger-long-running-operation, mcp__everything__get-tiny-image');

describe('a run with upstream MCP servers', () => {
  it('offers the listed upstream tools with their own schemas, and the real result reaches the model', async () => {
    fake.script(
      (req) => {
        expect(offeredTools(req.body)).toEqual(['Read', 'mcp__everything__echo', 'mcp__everything__get-tiny-image', 'mcp__everything__trigger-long-running-operation']);
        const echo = (req.body.tools as Array<{ name: string; input_schema: { properties: Record<string, unknown> } }>).find((t) => t.name === 'mcp__everything__echo');
        expect(echo?.input_schema.properties).toHaveProperty('message');
        return reply([toolUse('mcp__everything__echo', { message: 'hello upstream' }, 'tu_echo')]);
      },
      (req) => {
        const result = lastToolResult(req.body);
        expect(result.is_error).toBeUndefined();
        expect(result.content).toEqual([{ type: 'text', text: 'Echo: hello upstream' }]);
        return reply([text('It said hello.')]);
      },
    );
    const result = await prepareAndRun(deps, { agent: echoAgent, prompt: 'echo', signal: new AbortController().signal });
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'It said hello.', warnings: [] });
    fake.assertComplete();
  });

  it('passes an image result to the model as an image block', async () => {
    fake.script(reply([toolUse('mcp__everything__get-tiny-image', {}, 'tu_img')]), (req) => {
      const content = lastToolResult(req.body).content as Array<{ type: string; source?: { media_type: string; data: string } }>;
      const image = content.find((c) => c.type === 'image');
      expect(image?.source?.media_type).toBe('image/png');
      expect(image?.source?.data.length).toBeGreaterThan(20);
      return reply([text('A tiny image.')]);
    });
    expect((await prepareAndRun(deps, { agent: echoAgent, prompt: 'image', signal: new AbortController().signal })).stopReason).toBe('end_turn');
    fake.assertComplete();
  });

  it('relays upstream progress as progress of the run', async () => {
    const events: CallEvent[] = [];
    // Steps half a second apart: on a loaded machine, steps 0.1 s apart could reach us in one burst
    // with the result, and the SDK then dispatches them after the call is over.
    fake.script(reply([toolUse('mcp__everything__trigger-long-running-operation', { duration: 1.5, steps: 3 }, 'tu_long')]), (req) => {
      expect(JSON.stringify(lastToolResult(req.body).content)).toContain('Long running operation completed');
      return reply([text('done')]);
    });
    await prepareAndRun(deps, { agent: echoAgent, prompt: 'long', signal: new AbortController().signal, onEvent: (e) => events.push(e) });
    // The SDK dispatches notifications a tick after responses, so the last one, sent right before
    // the result, may arrive after the call is over; the earlier ones always arrive.
    const progress = events.filter((e) => e.type === 'tool_progress').slice(0, 2);
    expect(progress).toEqual([
      { type: 'tool_progress', name: 'mcp__everything__trigger-long-running-operation', progress: 1, total: 3 },
      { type: 'tool_progress', name: 'mcp__everything__trigger-long-running-operation', progress: 2, total: 3 },
    ]);
    fake.assertComplete();
  });

  it('cancelling the run cancels the upstream call', async () => {
    const controller = new AbortController();
    fake.script(reply([toolUse('mcp__everything__trigger-long-running-operation', { duration: 600, steps: 6000 }, 'tu_cancel')]));
    const result = await prepareAndRun(deps, {
      agent: echoAgent,
      prompt: 'long',
      signal: controller.signal,
      onEvent: (e) => e.type === 'tool_progress' && controller.abort(),
    });
    expect(result.stopReason).toBe('cancelled');
    fake.assertComplete();
    // The connection survives a cancelled call.
    const conn = await pool.connection(everything, new AbortController().signal);
    expect((await conn.callTool('echo', { message: 'still here' }, { signal: new AbortController().signal })).content).toEqual([{ type: 'text', text: 'Echo: still here' }]);
  });

  it('an upstream killed mid-run gives the model a tool error, the run finishes, and the next run reconnects', async () => {
    const before = await pool.connection(everything, new AbortController().signal);
    fake.script(reply([toolUse('mcp__everything__trigger-long-running-operation', { duration: 600, steps: 6000 }, 'tu_kill')]), (req) => {
      const result = lastToolResult(req.body);
      expect(result.is_error).toBe(true);
      expect(JSON.stringify(result.content)).toContain('closed the connection during the call');
      return reply([text('The tool crashed; I finished without it.')]);
    });
    let killed = false;
    const first = await prepareAndRun(deps, {
      agent: echoAgent,
      prompt: 'long',
      signal: new AbortController().signal,
      onEvent: (e) => {
        if (e.type === 'tool_progress' && !killed) {
          killed = true;
          process.kill(before.pid!, 'SIGKILL');
        }
      },
    });
    expect(first).toMatchObject({ stopReason: 'end_turn', answer: 'The tool crashed; I finished without it.' });

    fake.script(reply([toolUse('mcp__everything__echo', { message: 'back' }, 'tu_back')]), (req) => {
      expect(lastToolResult(req.body).content).toEqual([{ type: 'text', text: 'Echo: back' }]);
      return reply([text('ok')]);
    });
    const second = await prepareAndRun(deps, { agent: echoAgent, prompt: 'echo', signal: new AbortController().signal });
    expect(second.stopReason).toBe('end_turn');
    const after = await pool.connection(everything, new AbortController().signal);
    expect(after.pid).not.toBe(before.pid);
    fake.assertComplete();
  });

  it('leaves out the tools of a server that fails to start, says why, and runs on', async () => {
    const agent = agentFromText('name: mixed\ndescription: Mixed.\ntools: mcp__everything__echo, mcp__broken__anything');
    fake.script((req) => {
      expect(offeredTools(req.body)).toEqual(['mcp__everything__echo']);
      return reply([text('fine')]);
    });
    const result = await prepareAndRun(deps, { agent, prompt: 'go', signal: new AbortController().signal });
    expect(result.stopReason).toBe('end_turn');
    expect(result.warnings[0]).toMatch(/^Upstream MCP server "broken" is unavailable, so its tools are absent from this run: could not start/);
    // The listed-but-absent tool is not repeated: the server's failure already says why.
    expect(result.warnings).toHaveLength(1);
    fake.assertComplete();
  });

  it('lists and reads the resources of the servers the run may use', async () => {
    const agent = agentFromText('name: reader\ndescription: Reads.\ntools: ListMcpResourcesTool, ReadMcpResourceTool, mcp__everything__echo');
    const uri = 'demo://resource/static/document/architecture.md';
    fake.script(
      (req) => {
        expect(offeredTools(req.body)).toEqual(['ListMcpResourcesTool', 'ReadMcpResourceTool', 'mcp__everything__echo']);
        return reply([toolUse('ListMcpResourcesTool', {}, 'tu_list')]);
      },
      (req) => {
        const listed = JSON.parse((lastToolResult(req.body).content as Array<{ text: string }>)[0]!.text) as Array<{ server: string; uri: string }>;
        expect(listed).toContainEqual(expect.objectContaining({ server: 'everything', uri }));
        return reply([toolUse('ReadMcpResourceTool', { server: 'everything', uri }, 'tu_read')]);
      },
      (req) => {
        const content = lastToolResult(req.body).content as Array<{ text: string }>;
        expect(content[0]?.text).toMatch(new RegExp(`^\\[resource <${uri}> text/markdown\\]\\n`));
        return reply([text('read it')]);
      },
    );
    expect((await prepareAndRun(deps, { agent, prompt: 'resources', signal: new AbortController().signal })).stopReason).toBe('end_turn');
    fake.assertComplete();
  });

  it('starts no server for an agent that lists no MCP tool', async () => {
    const agent = agentFromText('name: plain\ndescription: Plain.\ntools: Read');
    fake.script((req) => {
      expect(offeredTools(req.body)).toEqual(['Read']);
      return reply([text('plain')]);
    });
    const result = await prepareAndRun(deps, { agent, prompt: 'go', signal: new AbortController().signal });
    expect(result.warnings).toEqual([]);
    fake.assertComplete();
  });
});

const bilingualAgent = agentFromText('name: bilingual\ndescription: Uses both eras.\ntools: mcp__modern__echo, mcp__modern__chain, mcp__modern__confirm, mcp__everything__echo');

/** The text of each tool_result of the request's last message, by tool_use id. */
function resultsById(body: unknown): Record<string, { text: string; isError: boolean }> {
  const out: Record<string, { text: string; isError: boolean }> = {};
  for (const block of lastMessageBlocks(body)) {
    if (block.type !== 'tool_result') continue;
    const content = block.content as Array<{ text?: string }>;
    out[String(block.tool_use_id)] = { text: content.map((c) => c.text ?? '').join(''), isError: block.is_error === true };
  }
  return out;
}

describe('a run with a 2026-only and a 2025-only upstream server', () => {
  it('calls the tools of both in one turn; the 2026 call carries the delegation chain in _meta', async () => {
    fake.script(
      (req) => {
        expect(offeredTools(req.body).sort()).toEqual(['mcp__everything__echo', 'mcp__modern__chain', 'mcp__modern__confirm', 'mcp__modern__echo']);
        return reply([
          toolUse('mcp__modern__echo', { message: 'new' }, 'tu_modern'),
          toolUse('mcp__everything__echo', { message: 'old' }, 'tu_legacy'),
          toolUse('mcp__modern__chain', {}, 'tu_chain'),
        ]);
      },
      (req) => {
        const results = resultsById(req.body);
        expect(results['tu_modern']).toEqual({ text: 'Echo (modern era): new', isError: false });
        expect(results['tu_legacy']).toEqual({ text: 'Echo: old', isError: false });
        const chain = JSON.parse(results['tu_chain']!.text) as Array<{ agent: string; run_id: string }>;
        expect(chain.map((link) => link.agent)).toEqual(['bilingual']);
        return reply([text('Both answered.')]);
      },
    );
    const result = await prepareAndRun(deps, { agent: bilingualAgent, prompt: 'use both', signal: new AbortController().signal });
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'Both answered.', warnings: [] });
    fake.assertComplete();
    const [modern, everything] = await pool.acquire(
      [
        { name: 'modern', config: configured.modern, origin: 'config' },
        { name: 'everything', config: configured.everything, origin: 'config' },
      ],
      new AbortController().signal,
    );
    expect(modern && 'connection' in modern && modern.connection.era).toBe('modern');
    expect(everything && 'connection' in everything && everything.connection.era).toBe('legacy');
  });

  it('a 2026 tool that asks for input gives the model an is_error saying it cannot be relayed; the run answers', async () => {
    fake.script(reply([toolUse('mcp__modern__confirm', {}, 'tu_confirm')]), (req) => {
      const result = lastToolResult(req.body);
      expect(result.is_error).toBe(true);
      expect(JSON.stringify(result.content)).toMatch(/the upstream MCP server \\"modern\\": the tool asked for input .* does not relay such requests/);
      return reply([text('It needed a person; went on without it.')]);
    });
    const result = await prepareAndRun(deps, { agent: bilingualAgent, prompt: 'confirm', signal: new AbortController().signal });
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'It needed a person; went on without it.' });
    fake.assertComplete();
  });
});
