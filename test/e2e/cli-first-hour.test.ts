/**
 * The first hour with the built CLI, as a new user meets it: the banner on a terminal (a real
 * pseudo-terminal through `script`), missing folders, help, typos, and a run without a key.
 */
import { execFile, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT } from '../helpers/stdio-server.js';
import { parseCacheEnv } from '../helpers/parse-cache-dir.js';

const BUNDLED = path.join(REPO_ROOT, 'agents');
const MISSING = path.join(os.tmpdir(), 'agents-mcp-no-such-folder');
/** An environment without credentials or colour settings, so the output is what a new user sees. */
const PLAIN_ENV = { PATH: process.env['PATH'] ?? '', HOME: os.homedir(), ...parseCacheEnv() };

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = PLAIN_ENV): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(process.execPath, [CLI, ...args], { env, cwd: os.tmpdir(), timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** Run the server with its stdin on a pseudo-terminal (util-linux `script`) until `pattern` shows, then end it. */
function onTerminal(args: string[], pattern: RegExp): Promise<string> {
  const command = [process.execPath, CLI, ...args].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { env: { ...PLAIN_ENV, TERM: 'dumb' }, stdio: ['pipe', 'pipe', 'pipe'] });
  let seen = '';
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => reject(new Error(`ended before ${pattern}:\n${seen}`)));
    child.stdout.on('data', (chunk: Buffer) => {
      seen += chunk.toString('utf8');
      if (!pattern.test(seen)) return;
      child.removeAllListeners('close');
      // Ctrl-D on the terminal: the server sees its stdin end and quits.
      child.stdin.end('\u0004');
      child.on('close', () => resolve(seen));
    });
  });
}

describe('started on a terminal', () => {
  it('prints a banner saying what it is, how to add it to a client, the key and the agents', async () => {
    const out = await onTerminal(['--agents', BUNDLED], /Ctrl-C quits/);
    expect(out).toContain('is an MCP server on stdio, waiting for an MCP client');
    expect(out).toContain(`5 agents from ${BUNDLED}`);
    expect(out).toContain('no ANTHROPIC_API_KEY');
    expect(out).toContain(`claude mcp add agents --env ANTHROPIC_API_KEY=… -- node ${CLI} --agents ${BUNDLED}`);
    expect(out).toContain('run <agent> "<task>"');
    // The banner replaces the JSON start-up logs a person cannot read.
    expect(out).not.toContain('"msg":"starting"');
  });

  it('prints no banner when a client holds its stdin', async () => {
    const child = spawn(process.execPath, [CLI, '--agents', BUNDLED], { env: PLAIN_ENV, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString('utf8');
        if (stderr.includes('listening on stdio')) resolve();
      });
    });
    child.stdin.end();
    await new Promise((resolve) => child.on('close', resolve));
    expect(stderr).not.toContain('waiting for an MCP client');
  });
});

describe('an --agents folder that does not exist', () => {
  it.each([
    ['list', ['list']],
    ['validate', ['validate']],
    ['run', ['run', 'some-agent', 'a task']],
    ['serve', []],
  ])('stops %s with exit 2, naming the folder', async (_name, args) => {
    const { code, stdout, stderr } = await cli([...args, '--agents', MISSING]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr.trim()).toBe(`agents-mcp: --agents ${MISSING} does not exist; give the folder that holds your agent .md files`);
  });
});

describe('help and mistakes', () => {
  it('run --help lists the run flags (with --fable-model) and none of the HTTP ones', async () => {
    const { code, stdout } = await cli(['run', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--fable-model <id>');
    expect(stdout).toContain('--model <id>');
    for (const httpOnly of ['--transport', '--port', '--host', '--auth-token', '--stateless', '--max-sessions']) expect(stdout).not.toContain(httpOnly);
  });

  it('answers a typo with "Did you mean" and a one-line hint, not the whole help', async () => {
    const { code, stderr } = await cli(['run', '--modle', 'x', 'agent', 'task']);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toEqual(["error: unknown option '--modle'", '(Did you mean --model?)', '(add --help for the options)']);
  });

  it('names the flag, not the config path, for a bad value', async () => {
    const { code, stderr } = await cli(['--transport', 'http', '--auth-token', 'short']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^agents-mcp: --auth-token \(or AGENTS_MCP_AUTH_TOKEN\): /);
    expect(stderr).not.toContain('http.authToken');
  });
});

describe('run without a key', () => {
  it('--json puts the error in the JSON and says it on stderr; an unknown model id warns', async () => {
    const { code, stdout, stderr } = await cli(['run', 'llm-app-engineer', 'hi', '--json', '--agents', BUNDLED, '--model', 'claude-nonexistent-9']);
    expect(code).toBe(1);
    const result = JSON.parse(stdout) as { stop_reason: string; model: string; error?: { kind: string; message: string; advice: string } };
    expect(result).toMatchObject({ stop_reason: 'error', model: 'claude-nonexistent-9', error: { kind: 'no_credentials' } });
    expect(result.error?.message).toMatch(/No Anthropic credentials/);
    expect(stderr).toContain(result.error?.message);
    expect(stderr).toContain('No price is known for model claude-nonexistent-9');
  });
});
