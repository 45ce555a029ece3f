/**
 * Secrets and child processes, through the built server over real stdio. The server runs with an
 * API key, an Anthropic auth token and its own HTTP auth token in its environment, Bash allowed
 * (bypassPermissions) and a hostile-upstream MCP server configured. A run asks for Bash `env` and
 * for the upstream's own environment; neither child may see any of those values, the upstream
 * child's /proc/<pid>/environ holds only the allow-list plus its configured env, and the run's
 * transcripts (`run://<id>`, `run://<id>/json`) and every log line are free of them too.
 */
import { readFileSync } from 'node:fs';
import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { reply, startFakeAnthropic, text, toolUse, type FakeAnthropic } from '../fake-anthropic/server.js';
import { spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';
import { childPids } from './proc.js';
import { textOfToolResult, toolResultsOf, type ToolResultBlock } from './tool-results.js';

const KEY = 'sk-ant-api03-CHILD-ENV-SECRET-1c9e4a7b2f6d3085';
const ANTHROPIC_TOKEN = 'anthropic-auth-token-CHILD-ENV-5e8b1d';
const SERVER_TOKEN = 'agents-mcp-auth-token-CHILD-ENV-93af27';
const SECRETS = [KEY, ANTHROPIC_TOKEN, SERVER_TOKEN];
const HOSTILE_UPSTREAM = path.join(import.meta.dirname, 'fixtures', 'hostile-upstream.mjs');

let fake: FakeAnthropic;
let ws: string;
let server: SpawnedServer;
let results: ToolResultBlock[] = [];
let runId = '';
let upstreamEnviron = '';

function textOf(content: { text?: string; blob?: string } | undefined): string {
  return content?.text ?? '';
}

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  ws = await realpath(await mkdtemp(path.join(os.tmpdir(), 'reliability-child-env-')));
  await writeFile(path.join(ws, 'shell.md'), '---\nname: shell\ndescription: Runs commands.\ntools: Bash, mcp__hostile__environment\n---\nYou run commands.\n');
  const config = path.join(ws, 'mcp.json');
  await writeFile(config, JSON.stringify({ mcpServers: { hostile: { command: process.execPath, args: [HOSTILE_UPSTREAM], env: { CONFIGURED_FOR_UPSTREAM: 'yes' } } } }));
  server = await spawnStdioServer(
    ['--agents', ws, '--workspace', ws, '--no-watch', '--permission-mode', 'bypassPermissions', '--mcp-config', config, '--log-level', 'trace'],
    { ANTHROPIC_API_KEY: KEY, ANTHROPIC_AUTH_TOKEN: ANTHROPIC_TOKEN, AGENTS_MCP_AUTH_TOKEN: SERVER_TOKEN, ANTHROPIC_BASE_URL: fake.url },
    ws,
  );
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
  await rm(ws, { recursive: true, force: true });
});

describe('child processes and transcripts never see the credentials', () => {
  it('a run calls Bash `env` and the upstream child reports its environment', async () => {
    fake.script(
      reply([toolUse('Bash', { command: 'env' }, 'toolu_env'), toolUse('mcp__hostile__environment', {}, 'toolu_upenv')]),
      (request) => {
        results = toolResultsOf(request);
        // While the upstream child is alive: its environment as the kernel holds it.
        const child = childPids(server.pid).find((pid) => readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('hostile-upstream.mjs'));
        if (child !== undefined) upstreamEnviron = readFileSync(`/proc/${child}/environ`, 'utf8');
        return reply([text('Looked at both environments.')]);
      },
    );
    const result = (await server.client.callTool({ name: 'shell', arguments: { prompt: 'show me the environment' } })) as CallToolResult;
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    runId = (result.structuredContent as { run_id: string }).run_id;
    expect(runId).toMatch(/^[0-9a-f-]{36}$/);
    fake.assertComplete();
  });

  it('Bash `env`: PATH and HOME, but no ANTHROPIC_* or AGENTS_MCP_* variable and no secret value', () => {
    const bash = results.find((r) => r.tool_use_id === 'toolu_env');
    expect(bash?.is_error).toBeFalsy();
    const out = textOfToolResult(bash);
    expect(out).toMatch(/^PATH=/m);
    expect(out).toMatch(/^HOME=/m);
    expect(out).not.toMatch(/^(ANTHROPIC_|AGENTS_MCP_)/m);
    for (const secret of SECRETS) expect(out).not.toContain(secret);
  });

  it('the upstream child: its configured variable, none of ours; /proc/<pid>/environ agrees', () => {
    const upstream = results.find((r) => r.tool_use_id === 'toolu_upenv');
    expect(upstream?.is_error).toBeFalsy();
    const env = JSON.parse(textOfToolResult(upstream)) as Record<string, string>;
    expect(env.CONFIGURED_FOR_UPSTREAM).toBe('yes');
    expect(Object.keys(env).filter((name) => /^(ANTHROPIC_|AGENTS_MCP_)/.test(name))).toEqual([]);
    for (const secret of SECRETS) expect(JSON.stringify(env)).not.toContain(secret);

    const vars = upstreamEnviron.split('\0').filter(Boolean);
    expect(vars).toContain('CONFIGURED_FOR_UPSTREAM=yes');
    expect(vars.filter((v) => /^(ANTHROPIC_|AGENTS_MCP_)/.test(v))).toEqual([]);
    for (const secret of SECRETS) expect(upstreamEnviron).not.toContain(secret);
  });

  it('the transcripts run://<id> and run://<id>/json hold the run but no secret', async () => {
    const markdown = textOf((await server.client.readResource({ uri: `run://${runId}` })).contents[0]);
    const json = textOf((await server.client.readResource({ uri: `run://${runId}/json` })).contents[0]);
    // They are the run's transcripts: the prompt, the Bash call and the answer are in them, and
    // the full record holds the whole `env` output.
    for (const transcript of [markdown, json]) {
      expect(transcript).toContain('show me the environment');
      expect(transcript).toContain('Bash');
      expect(transcript).toContain('Looked at both environments.');
      for (const secret of SECRETS) expect(transcript).not.toContain(secret);
    }
    expect(json).toContain('PATH=');
    expect(JSON.parse(json)).toMatchObject({ run_id: runId });
  });

  it('no log line holds a secret', async () => {
    const logs = await server.waitForStderr(/"msg":"run ended"/);
    expect(logs.split('\n').filter(Boolean).length).toBeGreaterThan(5);
    for (const secret of SECRETS) expect(logs).not.toContain(secret);
    console.info(`secrets (children): Bash env ${textOfToolResult(results[0]).split('\n').length} lines, upstream environ ${upstreamEnviron.split('\0').filter(Boolean).length} variables, 2 transcripts, ${logs.split('\n').filter(Boolean).length} log lines checked for ${SECRETS.length} secrets`);
  });
});
