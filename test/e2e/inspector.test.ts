/**
 * The MCP Inspector's CLI (from npm) against the built server, as a user would run it:
 * over stdio started from the mcp.json.example entry, and over Streamable HTTP with a token.
 * The model is the fake Messages API.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { reply, text } from '../fake-anthropic/steps.js';
import { spawnHttpServer, type HttpServerProcess } from '../helpers/http-server.js';
import { REPO_ROOT } from '../helpers/stdio-server.js';

const BUNDLED = path.join(REPO_ROOT, 'agents');
const API_KEY = 'test-key-0123456789';
const TOKEN = 'inspector-token-0123456789';
const INSPECTOR = createRequire(import.meta.url).resolve('@modelcontextprotocol/inspector-cli/build/cli.js');

interface InspectorRun {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Run `mcp-inspector-cli --cli ...args`. The working directory is a folder inside the repo:
 * inspector-cli 1.0.3 finds its own package.json by testing `../package.json` against the
 * working directory, and fails anywhere whose parent has none.
 */
function inspect(args: string[]): Promise<InspectorRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [INSPECTOR, '--cli', ...args], { cwd: path.join(REPO_ROOT, 'test'), timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

function json(run: InspectorRun): Record<string, unknown> {
  if (run.code !== 0) throw new Error(`inspector exited ${run.code}:\n${run.stderr}`);
  return JSON.parse(run.stdout) as Record<string, unknown>;
}

let fake: FakeAnthropic;
let dir: string;
beforeAll(async () => {
  fake = await startFakeAnthropic({ apiKey: API_KEY });
  dir = await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-inspector-'));
});
afterAll(async () => {
  await fake?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('Inspector CLI over stdio, started from the mcp.json.example entry', () => {
  let config: string;
  let modelEnv: string[];
  beforeAll(async () => {
    // The clone entry, with its placeholders filled in as a user would.
    const example = (await readFile(path.join(REPO_ROOT, 'mcp.json.example'), 'utf8'))
      .replaceAll('/absolute/path/to/agents-mcp', REPO_ROOT)
      .replaceAll('/absolute/path/to/your/agents', BUNDLED)
      .replaceAll('/absolute/path/to/your/project', dir);
    config = path.join(dir, 'mcp.json');
    await writeFile(config, example);
    modelEnv = ['-e', `ANTHROPIC_API_KEY=${API_KEY}`, '-e', `ANTHROPIC_BASE_URL=${fake.url}`];
  });
  const fromConfig = (...args: string[]): Promise<InspectorRun> => inspect(['--config', config, '--server', 'agents', ...modelEnv, ...args]);

  it('lists the tools', async () => {
    const { tools } = json(await fromConfig('--method', 'tools/list')) as { tools: Array<{ name: string }> };
    expect(tools.map((t) => t.name)).toContain('llm-app-engineer');
  });

  it('reads an agent resource', async () => {
    const { contents } = json(await fromConfig('--method', 'resources/read', '--uri', 'agent://llm-app-engineer')) as { contents: Array<{ text: string }> };
    expect(contents[0]?.text).toContain('LLM application engineer');
  });

  it('calls an agent, which runs against the model', async () => {
    fake.script(reply([text('Hello from the inspector over stdio.')]));
    const result = json(await fromConfig('--method', 'tools/call', '--tool-name', 'llm-app-engineer', '--tool-arg', 'prompt=Say hello'));
    expect(result['isError']).toBeFalsy();
    expect(result['content']).toEqual([{ type: 'text', text: 'Hello from the inspector over stdio.' }]);
    fake.assertComplete();
  });
});

describe('Inspector CLI over Streamable HTTP with a token', () => {
  let server: HttpServerProcess;
  beforeAll(async () => {
    server = await spawnHttpServer(['--agents', BUNDLED, '--no-watch'], { AGENTS_MCP_AUTH_TOKEN: TOKEN, ANTHROPIC_API_KEY: API_KEY, ANTHROPIC_BASE_URL: fake.url });
  });
  afterAll(async () => {
    await server?.stop();
  });
  const overHttp = (...args: string[]): Promise<InspectorRun> => inspect([server.url, '--transport', 'http', '--header', `Authorization: Bearer ${TOKEN}`, ...args]);

  it('lists the tools, reads a resource and calls an agent', async () => {
    const { tools } = json(await overHttp('--method', 'tools/list')) as { tools: Array<{ name: string }> };
    expect(tools.map((t) => t.name)).toContain('backend-engineer');

    const { contents } = json(await overHttp('--method', 'resources/read', '--uri', 'agents://index')) as { contents: Array<{ text: string }> };
    expect(JSON.parse(contents[0]?.text ?? '{}')).toHaveProperty('agents');

    fake.script(reply([text('Hello from the inspector over HTTP.')]));
    const result = json(await overHttp('--method', 'tools/call', '--tool-name', 'backend-engineer', '--tool-arg', 'prompt=Say hello'));
    expect(result['content']).toEqual([{ type: 'text', text: 'Hello from the inspector over HTTP.' }]);
    fake.assertComplete();
  });

  it('is refused without the token', async () => {
    const run = await inspect([server.url, '--transport', 'http', '--method', 'tools/list']);
    expect(run.code).not.toBe(0);
    expect(run.stderr + run.stdout).toMatch(/401|Unauthorized/);
  });
});
