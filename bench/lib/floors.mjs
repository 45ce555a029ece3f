/** The floors' entry points and how to start them like our server. */
import path from 'node:path';
import { REPO_ROOT } from './build.mjs';
import { spawnRaw } from './raw-client.mjs';
import { createTempDir } from './agent-sets.mjs';

/** The bare SDK server listing one tool per file (floors/list-server.mjs). */
export const LIST_FLOOR = path.join(REPO_ROOT, 'bench', 'floors', 'list-server.mjs');

/** A parse-cache folder of its own for this benchmark process (never the user's ~/.cache). */
export const BENCH_CACHE_DIR = createTempDir('agents-mcp-bench-cache-');

/**
 * Start one side over stdio with the raw client: `ours` is `dist/cli.js --agents dir ...args`
 * with its parse cache in {@link BENCH_CACHE_DIR} (or off with `cache: false`); `floor` is the
 * list floor on the same folder.
 */
export function spawnSide(side, dir, { args = [], cache = true, env = {} } = {}) {
  if (side === 'floor') return spawnRaw([dir], env, LIST_FLOOR);
  const cacheEnv = cache ? { AGENTS_MCP_CACHE_DIR: BENCH_CACHE_DIR } : { AGENTS_MCP_PARSE_CACHE: 'off' };
  return spawnRaw(['--agents', dir, ...args], { ...cacheEnv, ...env });
}
