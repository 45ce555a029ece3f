/** `agents-mcp validate` as a user runs it: the built CLI, real folders, exit codes. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI, REPO_ROOT } from '../helpers/stdio-server.js';

const run = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [CLI, ...args], { cwd: REPO_ROOT });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
};

const CORPUS = path.resolve(REPO_ROOT, 'test', 'fixtures', 'corpus');
let broken: string;

beforeAll(async () => {
  broken = await mkdtemp(path.join(os.tmpdir(), 'agents-mcp-validate-'));
  await writeFile(path.join(broken, 'good.md'), '---\nname: good\ndescription: Works.\n---\nPrompt.\n');
  await writeFile(path.join(broken, 'bad.md'), '---\nname: -bad\ndescription: Leading dash.\n---\nPrompt.\n');
});
afterAll(async () => {
  await rm(broken, { recursive: true, force: true });
});

describe('agents-mcp validate', () => {
  it('serves the whole fixture corpus: exit 0, one row per file, duplicates named', async () => {
    const { code, stdout } = await run(['validate', '--agents', CORPUS, '--json']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { summary: { served: number; skipped: number; broken: number }; rows: unknown[] };
    expect(report.summary).toMatchObject({ served: 297, skipped: 35, broken: 0 });
    expect(report.rows).toHaveLength(332);
  });

  it('exits 1 and names the file and reason when an agent file is broken', async () => {
    const { code, stdout } = await run(['validate', '--agents', broken]);
    expect(code).toBe(1);
    expect(stdout).toMatch(/^ok\s+good/m);
    expect(stdout).toMatch(/^skipped.*bad\.md/m);
    expect(stdout).toContain('-bad');
  });

  it('reports the tools an agent lists that this server does not offer', async () => {
    const { code, stdout } = await run(['validate', '--agents', path.join(REPO_ROOT, 'agents'), '--json']);
    expect(code).toBe(0);
    const rows = (JSON.parse(stdout) as { rows: Array<{ name: string; status: string; reason: string }> }).rows;
    const backend = rows.find((r) => r.name === 'backend-engineer');
    expect(backend?.status).toBe('warning');
    expect(backend?.reason).toContain("tools: 'ListMcpResourcesTool' is a Claude Code tool this server does not offer");
    expect(backend?.reason).toContain("'mcp__context7__get-library-docs' is not offered by this server");
    // Tools the server has (Bash, Edit, WebSearch, KillBash → TaskStop, …) are not reported.
    expect(backend?.reason).not.toMatch(/'(Bash|Edit|WebSearch|TaskStop|TodoWrite)'/);
  });

  it('exits 2 on a usage error', async () => {
    const { code, stderr } = await run(['validate', '--no-such-flag']);
    expect(code).toBe(2);
    expect(stderr).toContain('unknown option');
  });
});
