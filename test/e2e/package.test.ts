/**
 * The package as npm would publish it: `npm pack` of the built repository, installed into an
 * empty project, and its `agents-mcp` bin serving the bundled agents over stdio to the real MCP
 * client, with a call through the fake Messages API. Only the runtime dependencies are installed
 * there, so a dev-only import reached at run time fails this file.
 */
import { execFile } from 'node:child_process';
import { realpathSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport, getDefaultEnvironment } from '@modelcontextprotocol/sdk/client/stdio.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeAnthropic, type FakeAnthropic } from '../fake-anthropic/server.js';
import { reply, text } from '../fake-anthropic/steps.js';
import { REPO_ROOT } from '../helpers/stdio-server.js';

const exec = promisify(execFile);
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';
/** npm install over the network on a cold cache takes a while; the cache makes it seconds. */
const INSTALL_TIMEOUT_MS = 180_000;
const BUNDLED_TOOLS = ['backend-engineer', 'backend-python-expert', 'fastapi-backend-expert', 'llm-app-engineer', 'python-backend-architect'];

interface PackedFile {
  path: string;
}

let temp: string;
let project: string;
let home: string;
let packedFiles: string[];
let fake: FakeAnthropic;
let client: Client | undefined;

/** Install the tarball from the npm cache when it holds everything, else from the registry. */
async function installInto(dir: string, tarball: string): Promise<void> {
  const base = ['install', '--no-audit', '--no-fund', '--no-package-lock', tarball];
  try {
    await exec(NPM, [...base, '--offline'], { cwd: dir, timeout: INSTALL_TIMEOUT_MS });
  } catch {
    await exec(NPM, [...base, '--prefer-offline'], { cwd: dir, timeout: INSTALL_TIMEOUT_MS });
  }
}

beforeAll(async () => {
  temp = realpathSync(await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-pack-')));
  project = path.join(temp, 'project');
  home = path.join(temp, 'home');
  await mkdir(project);
  await mkdir(home);
  // dist/ is built by `npm test`; --ignore-scripts keeps pack from building it again.
  const { stdout } = await exec(NPM, ['pack', '--ignore-scripts', '--json', '--pack-destination', temp], { cwd: REPO_ROOT, timeout: INSTALL_TIMEOUT_MS });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: PackedFile[] }>;
  if (!packed) throw new Error(`npm pack printed no package: ${stdout}`);
  packedFiles = packed.files.map((f) => f.path);
  await writeFile(path.join(project, 'package.json'), JSON.stringify({ name: 'empty-project', private: true }));
  await installInto(project, path.join(temp, packed.filename));
  fake = await startFakeAnthropic({ apiKey: 'test-key-0123456789' });
}, INSTALL_TIMEOUT_MS * 2 + 30_000);

afterAll(async () => {
  await client?.close();
  await fake?.close();
  await rm(temp, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the built CLI, the bundled agents and the docs, and no sources or tests', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['package.json', 'README.md', 'mcp.json.example', 'dist/cli.js', ...BUNDLED_TOOLS.map((n) => `agents/${n}.md`)]));
    expect(packedFiles.filter((f) => /^(src|test|bench|scripts)\//.test(f))).toEqual([]);
  });

  it('declares its bin and the Node versions it runs on', async () => {
    const manifest = JSON.parse(await readFile(path.join(project, 'node_modules', 'agents-mcp', 'package.json'), 'utf8')) as {
      bin: Record<string, string>;
      engines: Record<string, string>;
    };
    expect(manifest.bin).toEqual({ 'agents-mcp': 'dist/cli.js' });
    expect(manifest.engines.node).toMatch(/^>=20/);
  });

  it('loads at run time only Node built-ins and its own dependencies, never a devDependency', async () => {
    const installed = path.join(project, 'node_modules', 'agents-mcp');
    const manifest = JSON.parse(await readFile(path.join(installed, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    const chunks = (await readdir(path.join(installed, 'dist', 'chunks'))).filter((f) => f.endsWith('.js')).map((f) => path.join('dist', 'chunks', f));
    const specifiers = new Set<string>();
    for (const file of ['dist/cli.js', ...chunks]) {
      const code = await readFile(path.join(installed, file), 'utf8');
      // Bare specifiers of static imports, dynamic imports and esbuild's require shim.
      for (const m of code.matchAll(/(?:__require\(|import\(|from ?)"((?:@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*(?:\/[\w./-]*)?)"/g)) specifiers.add(m[1]!);
    }
    const packages = [...specifiers]
      .filter((s) => !s.startsWith('node:') && !builtinModules.includes(s.split('/')[0]!))
      .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]!));
    expect(packages.length).toBeGreaterThan(0);
    for (const name of packages) expect(Object.keys(manifest.dependencies), name).toContain(name);
  });

  it('serves the bundled agents over stdio from its agents-mcp bin, and runs one', async () => {
    // No --agents and an empty home: the server falls back to the agents shipped in the package.
    const transport = new StdioClientTransport({
      command: path.join(project, 'node_modules', '.bin', 'agents-mcp'),
      args: ['--no-watch'],
      env: { ...getDefaultEnvironment(), HOME: home, ANTHROPIC_API_KEY: 'test-key-0123456789', ANTHROPIC_BASE_URL: fake.url },
      cwd: project,
      stderr: 'pipe',
    });
    client = new Client({ name: 'agents-mcp-package-test', version: '0.0.0' });
    await client.connect(transport);

    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(BUNDLED_TOOLS);

    fake.script(reply([text('Packaged and working.')]));
    const result = (await client.callTool({ name: 'llm-app-engineer', arguments: { prompt: 'Say something.' } })) as CallToolResult;
    expect(result.isError).toBeFalsy();
    expect(result.content).toEqual([{ type: 'text', text: 'Packaged and working.' }]);
    fake.assertComplete();
  });
});
