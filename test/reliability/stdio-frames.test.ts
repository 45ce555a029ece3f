/**
 * Hostile bytes on the stdio transport itself: the built server is spawned directly (no MCP
 * client library in between) and fed lines that are not JSON, not JSON-RPC, unknown methods,
 * a 5 MiB line and a request before initialize. It must answer what deserves an answer, write
 * nothing but JSON-RPC to stdout, serve a proper session afterwards and exit cleanly on EOF.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import { CLI } from '../helpers/stdio-server.js';
import { goodAgent } from './agent-file-mutations.js';
import { parseCacheEnv } from '../helpers/parse-cache-dir.js';

interface JsonRpcMessage {
  jsonrpc?: string;
  id?: number | string | null;
  result?: { tools?: Array<{ name: string }> };
  error?: { code: number; message: string };
}

let dir: string;
let child: ChildProcessWithoutNullStreams;
const stdoutLines: string[] = [];
const messages: JsonRpcMessage[] = [];
let waiters: Array<{ id: number; resolve: (m: JsonRpcMessage) => void }> = [];

/** Resolves with the response to request `id` once it arrives on stdout. */
function responseTo(id: number): Promise<JsonRpcMessage> {
  const found = messages.find((m) => m.id === id);
  if (found) return Promise.resolve(found);
  return new Promise((resolve) => waiters.push({ id, resolve }));
}

function send(line: string): void {
  child.stdin.write(`${line}\n`);
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'reliability-frames-'));
  await writeFile(path.join(dir, 'framed.md'), goodAgent('framed'));
  child = spawn(process.execPath, [CLI, '--agents', dir, '--no-watch', '--log-level', 'error'], { env: { ...getDefaultEnvironment(), ...parseCacheEnv() }, stdio: 'pipe' });
  createInterface({ input: child.stdout }).on('line', (line) => {
    stdoutLines.push(line);
    try {
      const message = JSON.parse(line) as JsonRpcMessage;
      messages.push(message);
      const ready = waiters.filter((w) => w.id === message.id);
      waiters = waiters.filter((w) => w.id !== message.id);
      for (const w of ready) w.resolve(message);
    } catch {
      // Counted below: stdout must hold JSON only.
    }
  });
  child.stderr.resume();
});

afterAll(async () => {
  if (child.exitCode === null) child.kill();
  await rm(dir, { recursive: true, force: true });
});

describe('garbage on stdin', () => {
  it('survives junk, answers what deserves an answer, then serves a proper session', async () => {
    send('this is not json');
    send('{"jsonrpc":"2.0"}');
    send('[1, 2, 3]');
    send('{"jsonrpc":"2.0","id":1,"method":"no/such/method"}');
    send(`{"jsonrpc":"2.0","id":2,"method":"ping","params":{"junk":"${'x'.repeat(5 * 1024 * 1024)}"}}`);
    send(`{"broken": "${'y'.repeat(1024 * 1024)}`);
    send('\u0000\u0001\u0002 binary-ish \uFFFD');
    send('{"jsonrpc":"2.0","id":3,"method":"tools/list"}');

    expect((await responseTo(1)).error).toMatchObject({ code: -32601 });
    expect(await responseTo(2)).toMatchObject({ id: 2, result: {} });
    // Before initialize the SDK's server answers tools/list as well; either way it answers.
    expect(await responseTo(3)).toMatchObject({ id: 3 });

    send(JSON.stringify({ jsonrpc: '2.0', id: 4, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'raw', version: '0' } } }));
    expect((await responseTo(4)).result).toBeDefined();
    send('{"jsonrpc":"2.0","method":"notifications/initialized"}');
    send('{"jsonrpc":"2.0","id":5,"method":"tools/list"}');
    expect((await responseTo(5)).result?.tools?.map((t) => t.name)).toEqual(['framed']);

    // Nothing but JSON-RPC ever reached stdout.
    expect(stdoutLines.length).toBe(messages.length);
    expect(messages.every((m) => m.jsonrpc === '2.0')).toBe(true);
  });

  it('exits cleanly when stdin closes', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.stdin.end();
    expect(await exited).toBe(0);
  });
});
