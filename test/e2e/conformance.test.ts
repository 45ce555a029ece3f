/**
 * The official MCP conformance suite (@modelcontextprotocol/conformance, from npm) against
 * the built server over Streamable HTTP: the 2025-11-25 set, and the 2026-07-28 requirement set
 * with the tasks-extension scenarios, each against its own baseline of fixture-only scenarios. The suite needs Node 22, which comes pinned from the
 * npm registry in test/conformance/runtime (installed here with `npm ci` on first use).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnHttpServer, type HttpServerProcess } from '../helpers/http-server.js';
import { REPO_ROOT } from '../helpers/stdio-server.js';

const RUNTIME = path.join(REPO_ROOT, 'test', 'conformance', 'runtime');
const BASELINE = path.join(REPO_ROOT, 'test', 'conformance', 'baseline.yml');
const BASELINE_2026 = path.join(REPO_ROOT, 'test', 'conformance', 'baseline-2026.yml');
const NODE_22 = path.join(RUNTIME, 'node_modules', '.bin', 'node');
const SUITE = path.join(RUNTIME, 'node_modules', '@modelcontextprotocol', 'conformance');
/** The 2026-07-28 scenarios that need nothing of the suite's own fixtures: every check must pass. */
const GENERIC_SCENARIOS_2026 = [
  'tools-list',
  'resources-list',
  'prompts-list',
  'caching',
  'sep-2164-resource-not-found',
  'dns-rebinding-protection',
  'http-header-validation',
  'input-required-result-unsupported-methods',
  'input-required-result-validate-input',
];
/** The 2025 scenarios that need nothing of the suite's own fixtures: every one must pass. */
const GENERIC_SCENARIOS = [
  'server-initialize',
  'ping',
  'logging-set-level',
  'tools-list',
  'resources-list',
  'prompts-list',
  'dns-rebinding-protection',
  'server-sse-multiple-streams',
];

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<Run> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** Whether the pinned suite and a Node binary are installed in the runtime folder. */
function isRuntimeInstalled(): boolean {
  const wanted = (JSON.parse(readFileSync(path.join(RUNTIME, 'package.json'), 'utf8')) as { dependencies: Record<string, string> }).dependencies['@modelcontextprotocol/conformance'];
  const manifest = path.join(SUITE, 'package.json');
  if (!existsSync(NODE_22) || !existsSync(manifest)) return false;
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version === wanted;
}

let server: HttpServerProcess;
let results: string;
let results2026: string;
let suite: Run;
let suite2026: Run;

beforeAll(async () => {
  if (!isRuntimeInstalled()) {
    const install = await run('npm', ['ci', '--no-audit', '--no-fund'], RUNTIME, 300_000);
    if (install.code !== 0) throw new Error(`npm ci in ${RUNTIME} failed:\n${install.stderr}`);
  }
  if (!existsSync(NODE_22)) throw new Error(`no Node 22 binary for ${process.platform}-${process.arch} in ${RUNTIME}: see its package.json`);
  results = await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-conformance-'));
  results2026 = await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-conformance-2026-'));
  server = await spawnHttpServer(['--agents', path.join(REPO_ROOT, 'agents'), '--no-watch']);
  const cli = path.join(SUITE, 'dist', 'index.js');
  suite = await run(NODE_22, [cli, 'server', '--url', server.url, '--spec-version', '2025-11-25', '--expected-failures', BASELINE, '-o', results], RUNTIME, 240_000);
  suite2026 = await run(NODE_22, [cli, 'server', '--url', server.url, '--requirements', '2026-07-28', '--expected-failures', BASELINE_2026, '-o', results2026], RUNTIME, 240_000);
}, 600_000);

afterAll(async () => {
  await server?.stop();
  if (results) await rm(results, { recursive: true, force: true });
  if (results2026) await rm(results2026, { recursive: true, force: true });
});

/** The checks the suite recorded for `scenario` in the run that wrote `dirOf`. */
async function checksOf(scenario: string, dirOf = results): Promise<Array<{ id: string; status: string; errorMessage?: string }>> {
  const dir = (await readdir(dirOf)).find((d) => d.startsWith(`server-${scenario}-`));
  if (!dir) throw new Error(`the suite ran no scenario ${scenario}`);
  return JSON.parse(await readFile(path.join(dirOf, dir, 'checks.json'), 'utf8')) as Array<{ id: string; status: string; errorMessage?: string }>;
}

describe('MCP conformance suite against the HTTP server', () => {
  it('fails only the scenarios listed in the baseline', () => {
    expect(suite.stdout, suite.stdout + suite.stderr).toContain('Baseline check passed');
    expect(suite.code).toBe(0);
  });

  it.each(GENERIC_SCENARIOS)('passes every check of %s', async (scenario) => {
    const checks = await checksOf(scenario);
    expect(checks.some((c) => c.status === 'SUCCESS')).toBe(true);
    expect(checks.filter((c) => c.status !== 'SUCCESS' && c.status !== 'INFO')).toEqual([]);
  });
});

describe('MCP conformance suite, 2026-07-28 requirements and tasks extension, against the HTTP server', () => {
  it('fails only the fixture-only scenarios listed in the 2026 baseline', () => {
    expect(suite2026.stdout, suite2026.stdout + suite2026.stderr).toContain('Baseline check passed');
    expect(suite2026.code).toBe(0);
  });

  it.each(GENERIC_SCENARIOS_2026)('passes every check of %s', async (scenario) => {
    const checks = await checksOf(scenario, results2026);
    expect(checks.some((c) => c.status === 'SUCCESS')).toBe(true);
    expect(checks.filter((c) => c.status !== 'SUCCESS' && c.status !== 'INFO')).toEqual([]);
  });

  it('refuses the tasks methods to a caller that does not declare the extension (-32021)', async () => {
    const checks = await checksOf('tasks-capability-negotiation', results2026);
    expect(checks.find((c) => c.id === 'sep-2663-tasks-methods-non-declaring')?.status).toBe('SUCCESS');
  });
});
