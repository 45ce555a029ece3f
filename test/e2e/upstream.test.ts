/**
 * Upstream MCP servers and delegation through the built server, over real stdio: the example
 * config's real sequential-thinking server from npm, the delegation tree in structuredContent,
 * two agents-mcp processes configured as each other's upstream, and a 2026-only upstream.
 */
import { mkdtemp, rm, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { reply, text, toolUse } from '../fake-anthropic/steps.js';
import { lastToolResult, offeredTools } from '../helpers/agents.js';
import { CLI, REPO_ROOT, spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';
import { modernServer } from '../helpers/upstream-servers.js';
import { parseCacheEnv } from '../helpers/parse-cache-dir.js';

const KEY = 'test-key-upstream-0123456789';
const usage = (input: number, output: number) => ({ usage: { input_tokens: input, output_tokens: output, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 } });

let fake: FakeAnthropic;
let dir: string;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  dir = await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-e2e-up-'));
});
afterAll(async () => {
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

async function writeAgent(folder: string, name: string, tools: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  await writeFile(path.join(folder, `${name}.md`), `---\nname: ${name}\ndescription: The ${name} agent.\ntools: ${tools}\n---\nYou are ${name}.\n`);
}

describe('the example config: backend-engineer with the real sequential-thinking server, delegated to', () => {
  let server: SpawnedServer;
  beforeAll(async () => {
    const extra = path.join(dir, 'planner-agents');
    await writeAgent(extra, 'planner', 'Read, Agent(backend-engineer)');
    server = await spawnStdioServer(
      ['--agents', path.join(REPO_ROOT, 'agents'), '--agents', extra, '--no-watch', '--mcp-config', path.join(REPO_ROOT, 'examples', 'upstream.mcp.json')],
      { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url },
    );
  });
  afterAll(async () => {
    await server?.close();
  });

  it('runs mcp__sequential-thinking__sequentialthinking for backend-engineer and shows the delegation tree', async () => {
    const thought = { thought: 'Split the service into a queue and a worker.', nextThoughtNeeded: false, thoughtNumber: 1, totalThoughts: 1 };
    fake.script(
      (req) => {
        expect(offeredTools(req.body)).toEqual(['Read', 'Agent']);
        return reply([toolUse('Agent', { description: 'design service', prompt: 'Design the async service.', subagent_type: 'backend-engineer' }, 'tu_plan')], usage(300, 30));
      },
      (req) => {
        expect(offeredTools(req.body)).toContain('mcp__sequential-thinking__sequentialthinking');
        const schema = (req.body.tools as Array<{ name: string; input_schema: { required?: string[] } }>).find((t) => t.name === 'mcp__sequential-thinking__sequentialthinking')?.input_schema;
        expect(schema?.required).toEqual(expect.arrayContaining(['thought', 'nextThoughtNeeded', 'thoughtNumber', 'totalThoughts']));
        return reply([toolUse('mcp__sequential-thinking__sequentialthinking', thought, 'tu_think')], usage(200, 20));
      },
      (req) => {
        const result = lastToolResult(req.body);
        expect(result.is_error).toBeUndefined();
        const body = JSON.parse((result.content as Array<{ text: string }>)[0]!.text) as Record<string, unknown>;
        expect(body).toMatchObject({ thoughtNumber: 1, totalThoughts: 1, nextThoughtNeeded: false, thoughtHistoryLength: 1 });
        return reply([text('Queue plus worker.')], usage(250, 25));
      },
      (req) => {
        expect(lastToolResult(req.body).content).toEqual([{ type: 'text', text: 'Queue plus worker.' }]);
        return reply([text('Plan: queue plus worker.')], usage(400, 40));
      },
    );
    const result = (await server.client.callTool({ name: 'planner', arguments: { prompt: 'Plan the service.' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'Plan: queue plus worker.' }]);
    const sc = result.structuredContent as Record<string, unknown>;
    expect(sc['usage']).toEqual({ input_tokens: 700, output_tokens: 70, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    expect(sc['delegations']).toEqual([
      {
        agent: 'backend-engineer',
        run_id: expect.any(String),
        model: 'claude-sonnet-5-5',
        stop_reason: 'end_turn',
        usage: { input_tokens: 450, output_tokens: 45, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        cost_usd: expect.any(Number),
        delegations: [],
      },
    ]);
    expect(sc['total_usage']).toEqual({ input_tokens: 1150, output_tokens: 115, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 });
    expect(sc['total_cost_usd']).toBeCloseTo((sc['cost_usd'] as number) + ((sc['delegations'] as Array<{ cost_usd: number }>)[0]!.cost_usd), 10);
    fake.assertComplete();
    await server.waitForStderr(/"upstream":"sequential-thinking".*"msg":"upstream MCP server connected"/);
    expect(server.stderr()).not.toContain(KEY);
  });

  it('validates the delegation tree against the published output schema', async () => {
    const { tools } = await server.client.listTools();
    const planner = tools.find((t) => t.name === 'planner');
    expect(planner?.outputSchema?.properties).toHaveProperty('delegations');
    expect(planner?.outputSchema?.properties).toHaveProperty('total_cost_usd');
  });
});

describe('two agents-mcp processes configured as each other\'s upstream', () => {
  let a: SpawnedServer;
  beforeAll(async () => {
    const agentsA = path.join(dir, 'agents-a');
    const agentsB = path.join(dir, 'agents-b');
    await writeAgent(agentsA, 'a1', 'mcp__peer__b1');
    await writeAgent(agentsA, 'a2', 'Read');
    await writeAgent(agentsB, 'b1', 'mcp__peer__a1, mcp__peer__a2');
    const configA = path.join(dir, 'a.mcp.json');
    const configB = path.join(dir, 'b.mcp.json');
    const peer = (agents: string, config: string) => ({
      mcpServers: {
        peer: {
          command: process.execPath,
          args: [CLI, '--agents', agents, '--mcp-config', config, '--no-watch', '--max-depth', '2'],
          // The peer keeps its parse cache with the suite's, never in ~/.cache.
          env: { ANTHROPIC_API_KEY: '${ANTHROPIC_API_KEY}', ANTHROPIC_BASE_URL: '${ANTHROPIC_BASE_URL}', ...parseCacheEnv() },
        },
      },
    });
    await writeFile(configA, JSON.stringify(peer(agentsB, configB)));
    await writeFile(configB, JSON.stringify(peer(agentsA, configA)));
    a = await spawnStdioServer(['--agents', agentsA, '--mcp-config', configA, '--no-watch', '--max-depth', '2'], { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url });
  });
  afterAll(async () => {
    await a?.close();
  });

  function scriptPeerRun(b1Calls: string, expectRefusal: RegExp): void {
    fake.script(
      (req) => {
        expect(offeredTools(req.body)).toEqual(['mcp__peer__b1']);
        return reply([toolUse('mcp__peer__b1', { prompt: 'Ask around.' }, 'tu_a1')], usage(10, 1));
      },
      (req) => {
        expect(JSON.stringify(req.body.system)).toContain('You are b1.');
        expect(offeredTools(req.body)).toEqual(['mcp__peer__a1', 'mcp__peer__a2']);
        return reply([toolUse(b1Calls, { prompt: 'And you?' }, 'tu_b1')], usage(20, 2));
      },
      (req) => {
        const refused = lastToolResult(req.body);
        expect(refused.is_error).toBe(true);
        expect((refused.content as Array<{ text: string }>)[0]?.text).toMatch(expectRefusal);
        return reply([text('b1 answered without going deeper')], usage(30, 3));
      },
      (req) => {
        expect(lastToolResult(req.body).content).toEqual([{ type: 'text', text: 'b1 answered without going deeper' }]);
        return reply([text('a1 done')], usage(40, 4));
      },
    );
  }

  it('refuses the call that would go past --max-depth in the other process', async () => {
    scriptPeerRun('mcp__peer__a2', /Delegation refused: running "a2" would nest agents 3 deep \(a1 → b1 → a2\); the limit is 2 \(--max-depth\)/);
    const result = (await a.client.callTool({ name: 'a1', arguments: { prompt: 'Start.' } })) as CallToolResult;
    expect(result.content).toEqual([{ type: 'text', text: 'a1 done' }]);
    const sc = result.structuredContent as { delegations: Array<Record<string, unknown>>; total_usage: Record<string, number> };
    // b1 ran in the other process; its report (and the refused a2) are in our tree.
    expect(sc.delegations).toEqual([
      expect.objectContaining({
        agent: 'b1',
        server: 'peer',
        stop_reason: 'end_turn',
        usage: { input_tokens: 50, output_tokens: 5, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
        delegations: [expect.objectContaining({ agent: 'a2', server: 'peer', stop_reason: 'error' })],
      }),
    ]);
    expect(sc.total_usage['input_tokens']).toBe(100);
    fake.assertComplete();
  });

  it('refuses the call back to an agent already on the chain', async () => {
    scriptPeerRun('mcp__peer__a1', /Delegation refused: agent "a1" is already running on this call chain \(a1 → b1 → a1\)/);
    const result = (await a.client.callTool({ name: 'a1', arguments: { prompt: 'Start.' } })) as CallToolResult;
    expect(result.content).toEqual([{ type: 'text', text: 'a1 done' }]);
    fake.assertComplete();
  });

  it('refuses an incoming call whose _meta chain is malformed, with a protocol error', async () => {
    await expect(a.client.callTool({ name: 'a1', arguments: { prompt: 'x' }, _meta: { 'io.agents-mcp/chain': 'a1' } })).rejects.toThrow(/io\.agents-mcp\/chain.*not a valid chain/);
  });
});

describe('a 2026-only upstream server from --mcp-config', () => {
  it('an agent calls its tool: the built server reaches it on 2026-07-28 and logs the era', async () => {
    const agents = path.join(dir, 'modern-agents');
    await writeAgent(agents, 'modern-user', 'mcp__modern__echo');
    const config = path.join(dir, 'modern.mcp.json');
    const { command, args } = modernServer();
    await writeFile(config, JSON.stringify({ mcpServers: { modern: { command, args } } }));
    const server = await spawnStdioServer(['--agents', agents, '--mcp-config', config, '--no-watch'], { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url });
    try {
      fake.script(reply([toolUse('mcp__modern__echo', { message: 'from the built server' }, 'tu_modern')]), (req) => {
        expect(lastToolResult(req.body).content).toEqual([{ type: 'text', text: 'Echo (modern era): from the built server' }]);
        return reply([text('It answered on 2026.')]);
      });
      const result = (await server.client.callTool({ name: 'modern-user', arguments: { prompt: 'Echo.' } })) as CallToolResult;
      expect(result.content).toEqual([{ type: 'text', text: 'It answered on 2026.' }]);
      fake.assertComplete();
      await server.waitForStderr(/"upstream":"modern".*"era":"modern".*"msg":"upstream MCP server connected"/);
    } finally {
      await server.close();
    }
  });
});

describe('a bad --mcp-config', () => {
  it('stops the server at start with the file and the key, exit code 2', async () => {
    const { execFile } = await import('node:child_process');
    const bad = path.join(dir, 'bad.mcp.json');
    await writeFile(bad, JSON.stringify({ mcpServers: { memory: { command: 42 } } }));
    const outcome = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      const child = execFile(process.execPath, [CLI, '--mcp-config', bad], { env: {} }, (_err, _stdout, stderr) => resolve({ code: child.exitCode, stderr }));
    });
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toBe(`agents-mcp: --mcp-config ${bad}: mcpServers.memory.command: Invalid input: expected string, received number\n`);
  });
});
