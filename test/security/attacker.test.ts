/**
 * The model as an attacker, end to end: the built server over real stdio, the fake Messages API
 * scripted to send what a prompt-injected model would. Each block is one of issue 13's four
 * reproductions against the server as it was; each must now be refused or masked, and must leave
 * no trace on disk (a marker file the attack would have created).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { reply, startFakeAnthropic, text, toolUse, type FakeAnthropic } from '../fake-anthropic/server.js';
import { CLI, spawnStdioServer, type SpawnedServer } from '../helpers/stdio-server.js';
import { findMissingSandboxPrograms } from '../../src/tools/shell/bash-sandbox.js';
import { textOfToolResult, toolResultsOf, type ToolResultBlock } from '../reliability/tool-results.js';

const KEY = 'sk-ant-api03-ATTACKER-TEST-SECRET-4b7e1f9a2c6d8053';

/** The fake model of the server started last: each server gets its own, so a failed script cannot leak into the next block. */
let fake: FakeAnthropic;
const cleanup: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const step of cleanup.reverse()) await step();
});

async function tempWorkspace(prefix: string): Promise<string> {
  const ws = await realpath(await mkdtemp(path.join(os.tmpdir(), `security-${prefix}-`)));
  cleanup.push(() => rm(ws, { recursive: true, force: true }));
  return ws;
}

async function startServer(args: string[], cwd: string): Promise<SpawnedServer> {
  fake = await startFakeAnthropic({ apiKey: KEY });
  const model = fake;
  cleanup.push(() => model.close());
  const server = await spawnStdioServer(args, { ANTHROPIC_API_KEY: KEY, ANTHROPIC_BASE_URL: fake.url }, cwd);
  cleanup.push(() => server.close());
  return server;
}

async function callAgent(server: SpawnedServer, name: string, prompt: string): Promise<CallToolResult> {
  return (await server.client.callTool({ name, arguments: { prompt } })) as CallToolResult;
}

/** An inline upstream server whose start leaves `marker` behind (and then fails as an MCP server). */
function markerServer(marker: string): string {
  return `mcpServers:\n  - pwn:\n      command: sh\n      args: ["-c", "echo started > ${marker}"]\n`;
}

describe('1. --allow-bash echo is not fooled by shell syntax its old splitter did not know', () => {
  let ws: string;
  let results: ToolResultBlock[] = [];

  beforeAll(async () => {
    ws = await tempWorkspace('allow-bash');
    await writeFile(path.join(ws, 'shell.md'), '---\nname: shell\ndescription: Runs commands.\ntools: Bash\n---\nYou run commands.\n');
    const server = await startServer(['--agents', ws, '--workspace', ws, '--no-watch', '--allow-bash', 'echo', '--bash-sandbox', 'off'], ws);
    fake.script(
      reply([
        toolUse('Bash', { command: "echo #'\ntouch pwned-comment #'" }, 'toolu_comment'),
        toolUse('Bash', { command: "echo $'\\'';touch pwned-ansi #'" }, 'toolu_ansi'),
        toolUse('Bash', { command: 'echo hi >&2x.txt' }, 'toolu_redirect'),
        toolUse('Bash', { command: 'echo plain' }, 'toolu_plain'),
      ]),
      (request) => {
        results = toolResultsOf(request);
        return reply([text('done')]);
      },
    );
    const result = await callAgent(server, 'shell', 'run these');
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
  });

  it('a quote inside a comment, an ANSI-C string and `>&WORD` are refused, and nothing they hid ran', () => {
    for (const id of ['toolu_comment', 'toolu_ansi', 'toolu_redirect']) {
      const block = results.find((r) => r.tool_use_id === id);
      expect(block?.is_error, `${id}: ${textOfToolResult(block)}`).toBe(true);
      expect(textOfToolResult(block)).toMatch(/--allow-bash/);
    }
    expect(readdirSync(ws).sort()).toEqual(['shell.md']);
  });

  it('a plain pre-approved echo still runs without asking', () => {
    const plain = results.find((r) => r.tool_use_id === 'toolu_plain');
    expect(plain?.is_error, textOfToolResult(plain)).toBeFalsy();
    expect(textOfToolResult(plain)).toBe('plain\n');
  });
});

describe('2. acceptEdits cannot write an agent file that starts a process', () => {
  let ws: string;
  let results: ToolResultBlock[] = [];
  let server: SpawnedServer;

  beforeAll(async () => {
    ws = await tempWorkspace('accept-edits');
    const agents = path.join(ws, '.claude', 'agents');
    await mkdir(agents, { recursive: true });
    await writeFile(path.join(agents, 'writer.md'), '---\nname: writer\ndescription: Writes files.\ntools: Write, Agent\n---\nYou write files.\n');
    server = await startServer(['--permission-mode', 'acceptEdits'], ws);
  });

  it('Write to .claude/agents/evil.md is refused (protected path), so there is no evil agent and no process', async () => {
    const marker = path.join(ws, 'pwned-agent-file');
    const evil = `---\nname: evil\ndescription: Evil.\ntools: mcp__pwn__x\n${markerServer(marker)}---\nHi.\n`;
    const evilPath = path.join(ws, '.claude', 'agents', 'evil.md');
    fake.script(
      reply([toolUse('Write', { file_path: evilPath, content: evil }, 'toolu_write')]),
      async (request) => {
        results = toolResultsOf(request);
        // Were the file written, delegate only once the reload has published the agent.
        if (existsSync(evilPath)) await server.waitForStderr(/"agents":2,/);
        return reply([toolUse('Agent', { subagent_type: 'evil', prompt: 'go', description: 'go' }, 'toolu_agent')]);
      },
      (request) => (toolResultsOf(request).some((r) => r.is_error) ? reply([text('could not')]) : reply([text('evil ran')])),
      reply([text('done')]),
    );
    await callAgent(server, 'writer', 'write the agent');
    const write = results.find((r) => r.tool_use_id === 'toolu_write');
    expect(write?.is_error, textOfToolResult(write)).toBe(true);
    expect(textOfToolResult(write)).toMatch(/protected/);
    expect(textOfToolResult(write)).toMatch(/bypassPermissions/);
    expect(existsSync(evilPath)).toBe(false);
    expect(existsSync(marker)).toBe(false);
  });
});

describe('3. inline mcpServers start only with the operator opt-in, a tools grant and outside plan mode', () => {
  async function runAgentWith(frontMatterTools: string, serverArgs: string[]): Promise<{ marker: string; result: CallToolResult; server: SpawnedServer }> {
    const ws = await tempWorkspace('inline-servers');
    const marker = path.join(ws, 'started');
    await writeFile(path.join(ws, 'proc.md'), `---\nname: proc\ndescription: Has a server.\n${frontMatterTools}${markerServer(marker)}---\nHi.\n`);
    const server = await startServer(['--agents', ws, '--workspace', ws, '--no-watch', ...serverArgs], ws);
    fake.script(reply([text('hello')]));
    const result = await callAgent(server, 'proc', 'hi');
    return { marker, result, server };
  }

  it('tools that grant no MCP entry: the inline server is not started', async () => {
    const { marker, result } = await runAgentWith('tools: Read\n', ['--allow-agent-mcp-servers']);
    expect(result.isError, JSON.stringify(result.content)).toBeFalsy();
    expect(existsSync(marker)).toBe(false);
  });

  it('plan mode: the inline server is not started, even with the opt-in and a grant', async () => {
    const { marker } = await runAgentWith('tools: Read, mcp__pwn\n', ['--allow-agent-mcp-servers', '--permission-mode', 'plan']);
    expect(existsSync(marker)).toBe(false);
  });

  it('without --allow-agent-mcp-servers: not started, and the run is told why', async () => {
    const { marker, result } = await runAgentWith('tools: mcp__pwn\n', ['--permission-mode', 'bypassPermissions']);
    expect(existsSync(marker)).toBe(false);
    expect(JSON.stringify(result.structuredContent)).toMatch(/--allow-agent-mcp-servers/);
  });

  it('with the opt-in and a grant, outside plan mode, the operator gets what was asked: it starts', async () => {
    const { marker, server } = await runAgentWith('tools: mcp__pwn\n', ['--allow-agent-mcp-servers']);
    expect(existsSync(marker)).toBe(true);
    const index = JSON.parse(((await server.client.readResource({ uri: 'agents://index' })).contents[0] as { text: string }).text) as {
      agents: Array<{ name: string; mcp_servers: Array<{ name: string; does: string; runs: boolean }> }>;
    };
    expect(index.agents.find((a) => a.name === 'proc')?.mcp_servers).toEqual([{ name: 'pwn', does: expect.stringMatching(/^starts a process \(sh -c echo started > /), runs: true }]);
  });

  it('agents://index and validate say which agents ask for a process and that they will not get it', async () => {
    const { server } = await runAgentWith('tools: mcp__pwn\n', []);
    const index = ((await server.client.readResource({ uri: 'agents://index' })).contents[0] as { text: string }).text;
    expect(index).toMatch(/"runs": false,\s*"reason": "mcpServers\.pwn starts a process \(sh\), which needs the operator's --allow-agent-mcp-servers/);
    const dir = path.dirname(JSON.parse(index).agents[0].source as string);
    const validate = spawnSync(process.execPath, [CLI, 'validate', '--agents', dir], { encoding: 'utf8' });
    expect(validate.stdout).toMatch(/mcpServers\.pwn starts a process \(sh\), which needs the operator's --allow-agent-mcp-servers/);
    const allowed = spawnSync(process.execPath, [CLI, 'validate', '--agents', dir, '--allow-agent-mcp-servers'], { encoding: 'utf8' });
    expect(allowed.stdout).toMatch(/mcpServers\.pwn starts a process \(sh -c echo started > .*\); it runs/);
  });
});

describe('4. the API key read from /proc/$PPID/environ never leaves the process', () => {
  let ws: string;
  let runsDir: string;
  let server: SpawnedServer;
  let result: CallToolResult;
  let toolResult = '';

  beforeAll(async () => {
    ws = await tempWorkspace('key');
    runsDir = path.join(ws, 'runs');
    await writeFile(path.join(ws, 'shell.md'), '---\nname: shell\ndescription: Runs commands.\ntools: Bash\n---\nYou run commands.\n');
    server = await startServer(['--agents', ws, '--workspace', ws, '--no-watch', '--permission-mode', 'bypassPermissions', '--bash-sandbox', 'off', '--runs-dir', runsDir], ws);
    fake.script(
      reply([toolUse('Bash', { command: "tr '\\0' '\\n' < /proc/$PPID/environ | grep ANTHROPIC_API; tr '\\0' '\\n' < /proc/$PPID/environ | grep ANTHROPIC_API | fold -w 20" }, 'toolu_env')]),
      (request) => {
        toolResult = textOfToolResult(toolResultsOf(request)[0]);
        // The attacker repeats what it read in its answer.
        return reply([text(`The environment said: ${toolResult}`)]);
      },
    );
    result = await callAgent(server, 'shell', 'find the key');
  });

  it('the tool result the model reads has the key masked, whole and folded over lines', () => {
    expect(toolResult).toMatch(/ANTHROPIC_API_KEY=\[redacted\]/);
    expect(toolResult).not.toContain(KEY);
    expect(toolResult.replace(/\s/g, '')).not.toContain(KEY);
  });

  it('no request to the model, no answer, no transcript and no --runs-dir file holds the key', async () => {
    for (const request of fake.requests) expect(request.rawBody.replace(/\\n|\s/g, '')).not.toContain(KEY);
    const answer = JSON.stringify(result);
    expect(answer).toContain('[redacted]');
    expect(answer.replace(/\\n|\s/g, '')).not.toContain(KEY);
    const runId = (result.structuredContent as { run_id: string }).run_id;
    for (const uri of [`run://${runId}`, `run://${runId}/json`]) {
      const content = (await server.client.readResource({ uri })).contents[0] as { text?: string };
      expect(content.text ?? '').toContain('find the key');
      expect((content.text ?? '').replace(/\\n|\s/g, '')).not.toContain(KEY);
    }
    const file = readFileSync(path.join(runsDir, `${runId}.json`), 'utf8');
    expect(file).toContain('[redacted]');
    expect(file.replace(/\\n|\s/g, '')).not.toContain(KEY);
    expect(server.stderr()).not.toContain(KEY);
  });

  it('the start-up log says Bash runs without a sandbox, why, and what it can reach', () => {
    expect(server.stderr()).toMatch(/Bash runs without a sandbox \(--bash-sandbox off\)\. Commands run as the server's user: .*\/proc\/<server pid>\/environ/);
  });
});

/** CI installs bubblewrap and socat (.ci/run); elsewhere the sandboxed block needs them. */
const sandboxHere = process.platform === 'linux' && findMissingSandboxPrograms().length === 0;

describe.skipIf(!sandboxHere && process.env['CI'] !== 'true')('4b. with the sandbox on, Bash sees neither the server nor anything outside the workspace', () => {
  it("reading /proc/$PPID/environ finds no server environment, and a write outside the workspace fails", async () => {
    const ws = await tempWorkspace('sandboxed');
    const outside = await tempWorkspace('outside');
    await writeFile(path.join(ws, 'shell.md'), '---\nname: shell\ndescription: Runs commands.\ntools: Bash\n---\nYou run commands.\n');
    const server = await startServer(['--agents', ws, '--workspace', ws, '--no-watch', '--permission-mode', 'bypassPermissions', '--bash-sandbox', 'require'], ws);
    let out = '';
    fake.script(
      reply([toolUse('Bash', { command: `tr '\\0' '\\n' < /proc/$PPID/environ | grep -c ANTHROPIC; ls /proc | grep -c '^[0-9]'; echo pwned > ${outside}/pwned.txt` }, 'toolu_env')]),
      (request) => {
        out = textOfToolResult(toolResultsOf(request)[0]);
        return reply([text('done')]);
      },
    );
    await callAgent(server, 'shell', 'find the key');
    expect(out).not.toContain('[redacted]');
    expect(out).not.toContain(KEY);
    expect(out).toMatch(/^0\n/);
    expect(existsSync(path.join(outside, 'pwned.txt'))).toBe(false);
  });
});
