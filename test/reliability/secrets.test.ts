/**
 * Secrets: the built server runs with a recognizable API key, the SDK's debug logging on and
 * our most verbose log level, while an API (or proxy) that echoes the key back, failing model
 * calls and failing tools are thrown at it. The key must appear in no stderr line, no tool
 * result and no request body the model received — only in the auth header it was meant for.
 * Child-process environments (Bash, upstream MCP servers) and transcripts: child-env.test.ts.
 */
import { mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { httpError, reply, startFakeAnthropic, text, toolUse, type FakeAnthropic, type ScriptedRequest } from '../fake-anthropic/server.js';
import { spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';
import { goodAgent } from './agent-file-mutations.js';
import { toolResultsOf, type ToolResultBlock } from './tool-results.js';

const KEY = 'sk-ant-api03-RELIABILITY-SECRET-7f3a9c1e5b2d4068';

let fake: FakeAnthropic;
let ws: string;
let server: SpawnedServer;
const transportErrors: Error[] = [];
/** Every text the MCP client was handed. */
const seen: string[] = [];

/** What a leaky proxy says: the credential it was sent, back in the error message. */
function echoingError(status: number, request: ScriptedRequest) {
  const sent = `${String(request.headers['x-api-key'] ?? '')} ${String(request.headers.authorization ?? '')}`;
  return httpError(status, { type: status === 401 ? 'authentication_error' : 'api_error', message: `rejected credentials: ${sent}` }, { retryAfterMs: 1 });
}

async function call(prompt: string): Promise<CallToolResult> {
  const result = (await server.client.callTool({ name: 'keeper', arguments: { prompt } })) as CallToolResult;
  seen.push(JSON.stringify(result));
  return result;
}

beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: KEY });
  ws = await realpath(await mkdtemp(path.join(os.tmpdir(), 'reliability-secrets-')));
  await writeFile(path.join(ws, 'keeper.md'), goodAgent('keeper'));
  await writeFile(path.join(ws, 'notes.txt'), 'nothing secret here\n');
  // A way out of the workspace to the server's own environment, which holds the key.
  await symlink('/proc/self/environ', path.join(ws, 'environ-link'));
  server = await spawnStdioServer(['--agents', ws, '--workspace', ws, '--no-watch', '--log-level', 'trace'], {
    ANTHROPIC_API_KEY: KEY,
    ANTHROPIC_BASE_URL: fake.url,
    // The SDK's own request/response logging, which by default would print to stdout.
    ANTHROPIC_LOG: 'debug',
  });
  server.client.onerror = (error) => transportErrors.push(error);
});

afterAll(async () => {
  await server?.close();
  await fake?.close();
  await rm(ws, { recursive: true, force: true });
});

describe('the API key stays out of everything but the auth header', () => {
  it('a 401 whose message echoes the key: the isError result masks it', async () => {
    fake.script((request) => echoingError(401, request));
    const result = await call('hello');
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/rejected credentials: .*\[redacted\]/);
  });

  it('a failing model call (500s echoing the Authorization header): masked too', async () => {
    fake.script((r) => echoingError(500, r), (r) => echoingError(500, r), (r) => echoingError(500, r));
    const result = await call('hello');
    expect(result.isError).toBe(true);
    expect(JSON.stringify(result.content)).toMatch(/rejected credentials: .*\[redacted\]/);
  });

  it('tools cannot read the environment: /proc/self/environ directly or through a symlink is refused', async () => {
    const results: ToolResultBlock[][] = [];
    fake.script(
      reply([
        toolUse('Read', { file_path: '/proc/self/environ' }, 'toolu_env'),
        toolUse('Read', { file_path: 'environ-link' }, 'toolu_link'),
        toolUse('Grep', { pattern: 'ANTHROPIC', path: '/proc/self' }, 'toolu_grep'),
        toolUse('Read', { file_path: 'notes.txt\u0000' }, 'toolu_nul'),
      ]),
      (request) => {
        results.push(toolResultsOf(request));
        return reply([text('I could not read any of it.')]);
      },
    );
    const result = await call('find the API key');
    expect(result.isError).toBeFalsy();
    expect(results[0]?.map((r) => r.is_error)).toEqual([true, true, true, true]);
    expect(JSON.stringify(results[0])).toMatch(/outside the workspace/);
  });

  it('a normal run with a tool call', async () => {
    fake.script(reply([toolUse('Read', { file_path: 'notes.txt' }, 'toolu_ok')]), reply([text('Nothing secret.')]));
    expect((await call('read notes')).content).toEqual([{ type: 'text', text: 'Nothing secret.' }]);
  });

  it('greps every log line, tool result and model request for the key: only the auth header has it', () => {
    const logLines = server.stderr().split('\n').filter((line) => line.trim() !== '');
    // The run was logged, the SDK's debug lines came to stderr as JSON (not to stdout, where
    // they would break the protocol), and the echoed key was masked there too.
    expect(logLines.some((l) => l.includes('"msg":"run ended"'))).toBe(true);
    expect(logLines.some((l) => l.includes('"component":"anthropic-sdk"'))).toBe(true);
    expect(logLines.every((l) => l.startsWith('{'))).toBe(true);
    expect(transportErrors).toEqual([]);
    for (const line of logLines) expect(line).not.toContain(KEY);
    for (const text of seen) expect(text).not.toContain(KEY);
    expect(fake.requests.length).toBeGreaterThanOrEqual(7);
    for (const request of fake.requests) {
      expect(request.rawBody).not.toContain(KEY);
      expect(request.headers['x-api-key'] ?? request.headers.authorization).toMatch(new RegExp(`^(Bearer )?${KEY}$`));
    }
    console.info(`secrets: ${logLines.length} log lines, ${seen.length} tool results, ${fake.requests.length} model requests checked; key found only in auth headers`);
  });
});
