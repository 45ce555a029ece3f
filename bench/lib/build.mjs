/**
 * Make sure what the benchmarks run is built and current: the server (dist/, as `npm run build`)
 * and the fake Messages API compiled from test/fake-anthropic (bench/.build/, bench/tsconfig.json).
 * Each is rebuilt only when a source file is newer than its output, so `node bench/<name>.mjs`
 * works on a fresh clone and costs nothing when `npm run bench` has just built.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
/** The server the benchmarks start; AGENTS_MCP_CLI points them at another build. */
export const CLI = path.resolve(process.env.AGENTS_MCP_CLI ?? path.join(REPO_ROOT, 'dist', 'cli.js'));
const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const FAKE_SRC = path.join(REPO_ROOT, 'test', 'fake-anthropic');
const FAKE_OUT = path.join(REPO_ROOT, 'bench', '.build', 'fake-anthropic');

function newestMtime(dir, keep) {
  let newest = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath, entry.name);
    if (entry.isFile() && keep(file)) newest = Math.max(newest, statSync(file).mtimeMs);
  }
  return newest;
}

function isStale(output, sourceDir, keep) {
  return !existsSync(output) || statSync(output).mtimeMs < newestMtime(sourceDir, keep);
}

function tsc(project) {
  execFileSync(process.execPath, [TSC, '-p', project], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}

const isSource = (file) => file.endsWith('.ts') && !file.endsWith('.test.ts');

/** Build dist/ and the fake when stale. Throws (with tsc's output on stderr) when a build fails. */
export function ensureBuilt() {
  if (!process.env.AGENTS_MCP_CLI && isStale(CLI, path.join(REPO_ROOT, 'src'), isSource)) {
    // What `npm run build` does: type-check and emit, then bundle the CLI.
    tsc(path.join(REPO_ROOT, 'tsconfig.build.json'));
    execFileSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'bundle.mjs')], { cwd: REPO_ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  if (isStale(path.join(FAKE_OUT, 'server.js'), FAKE_SRC, isSource)) tsc(path.join(REPO_ROOT, 'bench', 'tsconfig.json'));
}

/** Import the compiled fake Messages API (building it first when needed). */
export async function importFake() {
  ensureBuilt();
  return import(pathToFileURL(path.join(FAKE_OUT, 'server.js')).href);
}

/**
 * Extra node flags for the servers a benchmark starts, from BENCH_SERVER_NODE_ARGS, e.g.
 * `BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" node bench/turn-overhead.mjs`.
 */
export function serverNodeArgs() {
  return (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}
