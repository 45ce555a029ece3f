/**
 * An agent's run with upstream servers of both protocol eras, through the real pool over real
 * stdio and the real Anthropic SDK talking to the fake Messages API: a 2026-only server
 * (test/helpers/modern-upstream.mjs, SDK v2) and a 2025-only one (server-everything, SDK 1.x).
 */
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../../test/fake-anthropic/server.js';
import { reply, text, toolUse } from '../../test/fake-anthropic/steps.js';
import { agentFromText, lastMessageBlocks, lastToolResult, offeredTools } from '../../test/helpers/agents.js';
import { everythingServer, modernServer } from '../../test/helpers/upstream-servers.js';
import { DEFAULT_MODEL_ALIASES } from '../agents/models.js';
import { createLogger } from '../log.js';
import { createFileTools } from '../tools/registry.js';
import { createUpstreamPool, type UpstreamPool } from '../tools/upstream/pool.js';
import { createUpstreamToolSource } from '../tools/upstream/upstream-tools.js';
import { createAnthropicClient } from './anthropic.js';
import { callAgent, type CallAgentDeps } from './call-agent.js';

const KEY = 'k-test-upstream-eras';
const configured = { modern: modernServer(), everything: everythingServer() };

let fake: FakeAnthropic;
let pool: UpstreamPool;
let deps: CallAgentDeps;
let workspace: string;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'agents-mcp-eras-')));
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

const agent = agentFromText('name: bilingual\ndescription: Uses both eras.\ntools: mcp__modern__echo, mcp__modern__chain, mcp__modern__confirm, mcp__everything__echo');

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
        expect(offeredTools(req.body)).toEqual(['mcp__modern__echo', 'mcp__modern__chain', 'mcp__modern__confirm', 'mcp__everything__echo']);
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
    const result = await callAgent(deps, { agent, prompt: 'use both', signal: new AbortController().signal });
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
    const result = await callAgent(deps, { agent, prompt: 'confirm', signal: new AbortController().signal });
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'It needed a person; went on without it.' });
    fake.assertComplete();
  });
});
