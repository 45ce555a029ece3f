/**
 * Vitest global setup: every server the suite starts keeps its agent parse cache in one temp
 * folder (AGENTS_MCP_CACHE_DIR, inherited by the workers), never in the user's ~/.cache, and
 * the folder is removed when the suite ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export default function setup(): () => void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'agents-mcp-test-cache-'));
  process.env.AGENTS_MCP_CACHE_DIR = dir;
  return () => rmSync(dir, { recursive: true, force: true });
}

/** The cache setting to hand a spawned server (its environment is built from scratch). */
export function parseCacheEnv(): Record<string, string> {
  const dir = process.env.AGENTS_MCP_CACHE_DIR;
  return dir ? { AGENTS_MCP_CACHE_DIR: dir } : { AGENTS_MCP_PARSE_CACHE: 'off' };
}
