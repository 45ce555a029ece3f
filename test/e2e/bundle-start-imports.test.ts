/**
 * What the built server can load: every chunk reachable from dist/cli.js by static or dynamic
 * imports. The Redis client must be reachable only through the Redis engine's own chunk, which
 * create-store.ts imports for `--store redis://…` alone: it costs every other start memory and
 * load time, and a barrel import once brought it back into the server's start without any test
 * noticing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/stdio-server.js';

const DIST = path.join(REPO_ROOT, 'dist');
/** `import"x"`, `import{…}from"x"` and `import("x")` in an esbuild chunk. */
const IMPORT = /(?:^|[;\n}(,=\s])import\s*(?:\(\s*)?(?:[\w${},\s*]+?\s*from\s*)?["']([^"']+)["']/g;

/** Packages reachable from `entry`, not descending into files `skip` names. */
function reachablePackages(entry: string, skip: (file: string) => boolean): { files: number; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file) || skip(file)) return;
    files.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      if (spec!.startsWith('.')) visit(path.resolve(path.dirname(file), spec!));
      else packages.add(spec!);
    }
  };
  visit(entry);
  return { files: files.size, packages };
}

describe('the built server', () => {
  it('reaches the Redis client only through the Redis engine, which only --store redis:// loads', () => {
    const isRedisEngine = (file: string): boolean => /^redis-store-[\w-]+\.js$/.test(path.basename(file));
    const without = reachablePackages(path.join(DIST, 'cli.js'), isRedisEngine);
    expect(without.files).toBeGreaterThan(5);
    expect([...without.packages]).not.toContain('ioredis');
    const all = reachablePackages(path.join(DIST, 'cli.js'), () => false);
    expect([...all.packages]).toContain('ioredis');
    expect(readdirSync(path.join(DIST, 'chunks')).some((n) => isRedisEngine(n))).toBe(true);
  });
});
