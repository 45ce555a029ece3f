/**
 * Hostile upstream MCP servers (test/reliability/fixtures/hostile-upstream.mjs, the real SDK's
 * McpServer over real stdio) under the real pool, the real loop and the real Anthropic SDK
 * talking to the fake Messages API. For each fault: the model gets an is_error tool_result that
 * names the problem (or, for a 50 MB result, a capped result with a note), the run goes on to
 * its answer, and the pool serves the next run.
 */
import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { reply, text, toolUse } from '../fake-anthropic/steps.js';
import { agentFromText, lastToolResult, offeredTools } from '../helpers/agents.js';
import { DEFAULT_MODEL_ALIASES } from '../../src/agents/models.js';
import { createLogger } from '../../src/log.js';
import { prepareAndRun, type RunDeps } from '../../src/run/prepare-and-run.js';
import { createAnthropicClient } from '../../src/run/anthropic.js';
import { createFileTools } from '../../src/tools/files/registry.js';
import { createUpstreamPool, type UpstreamPool } from '../../src/tools/upstream/pool.js';
import { MAX_UPSTREAM_RESULT_CHARS } from '../../src/tools/upstream/result-content.js';
import type { StdioServerConfig } from '../../src/tools/upstream/server-config.js';
import { createUpstreamToolSource } from '../../src/tools/upstream/tool-source.js';
import { textOfToolResult, type ToolResultBlock } from './tool-results.js';

const KEY = 'k-test-upstream-faults';
/** The pool's per-call limit here: what bounds the hanging tool. */
const CALL_TIMEOUT_MSEC = 1_000;
export const HOSTILE_UPSTREAM = path.join(import.meta.dirname, 'fixtures', 'hostile-upstream.mjs');

/** A stdio config that starts the hostile server with `flags`. */
export function hostileServer(...flags: string[]): StdioServerConfig {
  return { type: 'stdio', command: process.execPath, args: [HOSTILE_UPSTREAM, ...flags], env: {} };
}

let fake: FakeAnthropic;
let pool: UpstreamPool;
let hangPool: UpstreamPool;
let deps: RunDeps;
let hangDeps: RunDeps;
let workspace: string;
let crashMarker: string;

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  workspace = realpathSync(mkdtempSync(path.join(os.tmpdir(), 'agents-mcp-upfaults-')));
  crashMarker = path.join(workspace, 'crash-at-start');
  writeFileSync(crashMarker, '');
  const configured = {
    crash: hostileServer('--crash-at-start', '--while-exists', crashMarker),
    crashmid: hostileServer('--crash-mid-call'),
    garbage: hostileServer('--garbage'),
    huge: hostileServer('--huge'),
    big: hostileServer('--huge', '--megabytes', '9'),
  };
  const logger = createLogger({ level: 'silent' });
  const clientInfo = { name: 'agents-mcp-test', version: '0.0.0' };
  // retryAfterMs 0: a server that failed to start is tried again by the very next run.
  pool = createUpstreamPool({ logger, clientInfo, retryAfterMs: 0 });
  // The hanging server gets a pool of its own with a short per-call limit (the default is 30 min).
  hangPool = createUpstreamPool({ logger, clientInfo, callTimeoutMs: CALL_TIMEOUT_MSEC });
  const base = {
    settings: { defaultModel: 'claude-sonnet-5-5', modelAliases: DEFAULT_MODEL_ALIASES, maxTurns: 10, maxOutputTokens: 1000, roots: [workspace] },
    tools: createFileTools(),
    client: createAnthropicClient({ apiKey: KEY, baseURL: fake.url, maxRetries: 0 }),
    logger,
  };
  deps = { ...base, upstream: createUpstreamToolSource({ configured, pool }) };
  hangDeps = { ...base, upstream: createUpstreamToolSource({ configured: { hang: hostileServer('--hang') }, pool: hangPool }) };
});
afterAll(async () => {
  await pool?.close();
  await hangPool?.close();
  await fake?.close();
  rmSync(workspace, { recursive: true, force: true });
});

function depsFor(server: string): RunDeps {
  return server === 'hang' ? hangDeps : deps;
}

function agentFor(server: string) {
  return agentFromText(`name: ${server}-user\ndescription: Uses ${server}.\ntools: mcp__${server}__poke, mcp__${server}__echo`);
}

/** One run: the model pokes, sees `check` hold for the tool_result, answers; then the result. */
async function pokeRun(server: string, check: (result: ToolResultBlock) => void, signal = new AbortController().signal) {
  fake.script(reply([toolUse(`mcp__${server}__poke`, {}, 'tu_poke')]), (req) => {
    check(lastToolResult(req.body) as ToolResultBlock);
    return reply([text('Finished without it.')]);
  });
  const result = await prepareAndRun(depsFor(server), { agent: agentFor(server), prompt: 'poke', signal });
  fake.assertComplete();
  return result;
}

/** A following run on the same server: `echo` answers, so the pool serves it again. */
async function echoRunServes(server: string): Promise<void> {
  fake.script(reply([toolUse(`mcp__${server}__echo`, { message: 'after' }, 'tu_echo')]), (req) => {
    const result = lastToolResult(req.body) as ToolResultBlock;
    expect(result.is_error).toBeUndefined();
    expect(textOfToolResult(result)).toBe('Echo: after');
    return reply([text('echoed')]);
  });
  const result = await prepareAndRun(depsFor(server), { agent: agentFor(server), prompt: 'echo', signal: new AbortController().signal });
  expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'echoed' });
  fake.assertComplete();
}

describe('hostile upstream MCP servers', () => {
  it('crash at start: the tool is absent with a warning; a call anyway is an is_error; the run answers; the pool starts it once it can', async () => {
    fake.script(
      (req) => {
        expect(offeredTools(req.body)).toEqual([]);
        // A model that calls the tool anyway (it saw it in an earlier conversation).
        return reply([toolUse('mcp__crash__poke', {}, 'tu_ghost')]);
      },
      (req) => {
        const result = lastToolResult(req.body) as ToolResultBlock;
        expect(result.is_error).toBe(true);
        expect(textOfToolResult(result)).toContain('mcp__crash__poke');
        return reply([text('No tool, answered anyway.')]);
      },
    );
    const first = await prepareAndRun(deps, { agent: agentFor('crash'), prompt: 'poke', signal: new AbortController().signal });
    expect(first).toMatchObject({ stopReason: 'end_turn', answer: 'No tool, answered anyway.' });
    expect(first.warnings[0]).toMatch(/^Upstream MCP server "crash" is unavailable.*could not start/s);
    fake.assertComplete();

    rmSync(crashMarker);
    await echoRunServes('crash');
  });

  it('crash mid-call: is_error "closed the connection during the call"; the run answers; the next run gets a new process', async () => {
    const result = await pokeRun('crashmid', (r) => {
      expect(r.is_error).toBe(true);
      expect(textOfToolResult(r)).toContain('closed the connection during the call');
    });
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'Finished without it.' });
    await echoRunServes('crashmid');
  });

  it('garbage on stdout around every response: the lines are dropped and the results arrive intact', async () => {
    const result = await pokeRun('garbage', (r) => {
      expect(r.is_error).toBeUndefined();
      expect(textOfToolResult(r)).toBe('poked');
    });
    expect(result.stopReason).toBe('end_turn');
    await echoRunServes('garbage');
  });

  it('a tool that never answers: is_error "did not answer in time" after the per-call limit; the run answers; the connection still serves', async () => {
    const result = await pokeRun('hang', (r) => {
      expect(r.is_error).toBe(true);
      expect(textOfToolResult(r)).toMatch(/the upstream MCP server "hang" did not answer in time/);
    });
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'Finished without it.' });
    await echoRunServes('hang');
  });

  it('a tool that never answers, run cancelled while it waits: the run ends cancelled', async () => {
    const controller = new AbortController();
    fake.script(reply([toolUse('mcp__hang__poke', {}, 'tu_cancel')]));
    const result = await prepareAndRun(hangDeps, {
      agent: agentFor('hang'),
      prompt: 'poke',
      signal: controller.signal,
      onEvent: (e) => e.type === 'tool_start' && controller.abort(),
    });
    expect(result.stopReason).toBe('cancelled');
    fake.assertComplete();
    await echoRunServes('hang');
  });

  it('a 50 MB result: is_error saying it is over the 10 MB message limit (not "crashed"); the run answers; the next run gets a new connection', async () => {
    const result = await pokeRun('huge', (r) => {
      expect(r.is_error).toBe(true);
      expect(textOfToolResult(r)).toMatch(/the upstream MCP server "huge": the server sent a message larger than the 10 MB the stdio client accepts \(the result is too big\)/);
      expect(textOfToolResult(r)).not.toContain('crashed');
    });
    expect(result).toMatchObject({ stopReason: 'end_turn', answer: 'Finished without it.' });
    await echoRunServes('huge');
  });

  it('a 9 MB result (under the message limit): capped for the model at the upstream result limit, with a note', async () => {
    const result = await pokeRun('big', (r) => {
      expect(r.is_error).toBeUndefined();
      const body = textOfToolResult(r);
      expect(body.length).toBeLessThan(MAX_UPSTREAM_RESULT_CHARS + 1_000);
      expect(body.startsWith('xxxx')).toBe(true);
      expect(body).toMatch(/truncat|characters/i);
    });
    expect(result.stopReason).toBe('end_turn');
    await echoRunServes('big');
  });
});
