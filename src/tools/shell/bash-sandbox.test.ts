/**
 * Bash inside @anthropic-ai/sandbox-runtime. The sandbox needs bubblewrap and socat, which `npm
 * install` cannot provide (.ci/run installs them with apt-get): where they are missing, the first
 * test checks that `auto` falls back with a note that names them and `require` refuses, and the
 * confinement tests are skipped (reported as skipped, never as passed) — except under CI=true,
 * where a missing sandbox fails the run instead.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestToolContext, resultText, type TestToolContext } from '../../../test/helpers/tool-context.js';
import { createBashTool } from './bash.js';
import { findMissingSandboxPrograms, openBashSandbox, SandboxUnavailableError, type BashSandboxStatus } from './bash-sandbox.js';
import { locateRipgrep } from '../files/ripgrep.js';
import { SandboxManager } from '@anthropic-ai/sandbox-runtime';

let tmp: string;
let ws: string;
let outside: string;
let home: string;
let status: BashSandboxStatus;
let t: TestToolContext;
let host: Server;
let hostPort: number;

const dependenciesPresent = SandboxManager.isSupportedPlatform() && SandboxManager.checkDependencies({ command: 'rg' }).errors.every((e) => e.includes('ripgrep'));
/** CI installs bubblewrap and socat (.ci/run), so there the confinement tests must run, not skip. */
const mustRun = process.env['CI'] === 'true';

beforeAll(async () => {
  tmp = await realpath(await mkdtemp(path.join(tmpdir(), 'bash-sandbox-')));
  ws = path.join(tmp, 'ws');
  outside = path.join(tmp, 'outside');
  home = path.join(tmp, 'home');
  await mkdir(path.join(ws, 'sub'), { recursive: true });
  await mkdir(outside);
  await mkdir(home);
  await writeFile(path.join(home, 'secret.txt'), 'HOME-SECRET\n');
  await writeFile(path.join(outside, 'readable.txt'), 'readable\n');
  status = await openBashSandbox({ setting: 'auto', roots: [ws], homeDir: home });
  t = createTestToolContext([ws]);
  host = createServer((_req, res) => res.end('host reached'));
  await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
  hostPort = (host.address() as AddressInfo).port;
});

afterAll(async () => {
  await t?.end();
  await status?.sandbox?.close();
  await new Promise((resolve) => host?.close(resolve));
  await rm(tmp, { recursive: true, force: true });
});

describe('opening the sandbox', () => {
  it.runIf(mustRun)('under CI=true the sandbox is there (bubblewrap and socat installed by .ci/run)', () => {
    expect(dependenciesPresent, status.note).toBe(true);
    expect(status.sandbox, status.note).toBeDefined();
  });

  it('uses the sandbox where bubblewrap and socat are installed, else falls back and says why', async () => {
    expect(await locateRipgrep()).toBeDefined();
    if (dependenciesPresent) {
      expect(status.sandbox).toBeDefined();
      expect(status.note).toContain('Bash runs in a sandbox');
    } else {
      expect(status.sandbox).toBeUndefined();
      expect(status.note).toMatch(/Bash runs without a sandbox: .*(bwrap|bubblewrap|socat)/);
      await expect(openBashSandbox({ setting: 'require', roots: [ws], homeDir: home })).rejects.toThrow(SandboxUnavailableError);
    }
  });

  it('names the programs missing from PATH without loading the runtime (for the start-up warning)', () => {
    expect(findMissingSandboxPrograms({ PATH: '' }, 'linux')).toEqual(['bwrap', 'socat']);
    expect(findMissingSandboxPrograms({ PATH: '' }, 'darwin')).toEqual([]);
    if (dependenciesPresent) expect(findMissingSandboxPrograms()).toEqual([]);
  });

  it('`off` never opens it', async () => {
    expect(await openBashSandbox({ setting: 'off', roots: [ws], homeDir: home })).toEqual({ note: 'Bash runs without a sandbox (--bash-sandbox off).' });
  });
});

describe.skipIf(!dependenciesPresent && !mustRun)('a sandboxed command', () => {
  const bash = (): ReturnType<typeof createBashTool> => createBashTool({ sandbox: status.sandbox! });

  it('writes inside the workspace and keeps its working directory', async () => {
    const result = await bash().run({ command: 'echo made > made.txt && cd sub && pwd' }, t.ctx);
    expect(resultText(result)).toBe(`${path.join(ws, 'sub')}\n`);
    expect(await readFile(path.join(ws, 'made.txt'), 'utf8')).toBe('made\n');
    expect(resultText(await bash().run({ command: 'pwd' }, t.ctx))).toBe(`${path.join(ws, 'sub')}\n`);
    await bash().run({ command: `cd ${ws}` }, t.ctx);
  });

  it("cannot see the server's processes, so not its environment either (own PID namespace)", async () => {
    const result = await bash().run({ command: `[ -e /proc/${process.pid}/environ ] && echo visible || echo hidden; echo "parent=$PPID"` }, t.ctx);
    const [seen, parent] = resultText(result).split('\n');
    expect(seen).toBe('hidden');
    expect(parent).not.toBe(`parent=${process.pid}`);
  });

  it('cannot write outside the workspace', async () => {
    const result = await bash().run({ command: `echo pwned > ${path.join(outside, 'pwned.txt')}` }, t.ctx);
    expect(result.isError).toBe(true);
    expect(resultText(result)).toMatch(/Read-only file system|Permission denied/);
    await expect(readFile(path.join(outside, 'pwned.txt'))).rejects.toThrow(/ENOENT/);
  });

  it('cannot read the home directory, but can read the system', async () => {
    const result = await bash().run({ command: `cat ${path.join(home, 'secret.txt')}; head -c 4 /etc/hostname >/dev/null && echo system-ok` }, t.ctx);
    expect(resultText(result)).not.toContain('HOME-SECRET');
    expect(resultText(result)).toContain('system-ok');
  });

  it('cannot reach a server on the host, not even on 127.0.0.1', async () => {
    const script = `fetch('http://127.0.0.1:${hostPort}/').then(async (r) => console.log('status', r.status, await r.text())).catch((e) => console.log('failed', e.cause?.code ?? e.message))`;
    const result = await bash().run({ command: `${process.execPath} -e "${script}"` }, t.ctx);
    expect(resultText(result)).toMatch(/^failed /);
    expect(resultText(result)).not.toContain('host reached');
  });
});
