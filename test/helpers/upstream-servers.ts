/**
 * Real upstream MCP servers from npm (devDependencies), as configs the pool can start over
 * stdio: `node <package bin>`, so no network and no npx are involved.
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import type { StdioServerConfig } from '../../src/tools/upstream/server-config.js';

const require = createRequire(import.meta.url);

function binOf(pkg: string): string {
  return path.join(path.dirname(require.resolve(`${pkg}/package.json`)), 'dist', 'index.js');
}

/** @modelcontextprotocol/server-everything: echo, progress, images, structured content, resources. */
export function everythingServer(env: Record<string, string> = {}): StdioServerConfig {
  return { type: 'stdio', command: process.execPath, args: [binOf('@modelcontextprotocol/server-everything'), 'stdio'], env };
}

/** @modelcontextprotocol/server-sequential-thinking: the server the bundled backend-engineer lists. */
export function sequentialThinkingServer(): StdioServerConfig {
  return { type: 'stdio', command: process.execPath, args: [binOf('@modelcontextprotocol/server-sequential-thinking')], env: {} };
}

/**
 * A 2026-only server (test/helpers/modern-upstream.mjs, SDK v2 over stdio): answers
 * `server/discover`, refuses `initialize`.
 */
export function modernServer(): StdioServerConfig {
  return { type: 'stdio', command: process.execPath, args: [path.join(import.meta.dirname, 'modern-upstream.mjs')], env: {} };
}

/** Path of the 2026-only server's factory (`createModernServer(era)`), for hosting it over HTTP in-process. */
export const MODERN_SERVER_FACTORY = path.join(import.meta.dirname, 'modern-upstream-server.mjs');

/** A server that dies at start after writing to stderr (for failure reporting). */
export function brokenServer(message: string): StdioServerConfig {
  return { type: 'stdio', command: process.execPath, args: ['-e', `console.error(${JSON.stringify(message)}); process.exit(3)`], env: {} };
}

/** Path of server-everything's server factory, for hosting it over HTTP in-process. */
export const EVERYTHING_SERVER_FACTORY = path.join(path.dirname(binOf('@modelcontextprotocol/server-everything')), 'server', 'index.js');
