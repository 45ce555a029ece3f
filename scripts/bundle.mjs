/**
 * Bundle the CLI with esbuild, after `tsc` has type-checked and emitted dist/: dist/cli.js is
 * replaced by a bundle of src/cli.ts and everything it imports (dependencies included), and
 * what it loads later (the server, the Anthropic SDK on the first model turn, `validate`) goes
 * to split chunks beside it. Node then reads a few files instead of ~400 modules, which cuts
 * start-up by about a third (see docs/benchmarks.md). The rest of dist/ stays as tsc wrote it.
 *
 * Kept outside the bundle: @vscode/ripgrep, which locates its binary relative to its own
 * package. Code that finds files through `import.meta.url` keeps working: cli.ts stays at
 * dist/cli.js, and chunks sit one folder down (dist/chunks/), as src/<folder>/*.ts do.
 */
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = path.join(root, 'dist');
// Chunks of an earlier build would linger under new hashes.
rmSync(path.join(dist, 'chunks'), { recursive: true, force: true });

await build({
  entryPoints: [path.join(root, 'src', 'cli.ts')],
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // ioredis loads only with --store redis:// (a dynamic import); bundling it would also bundle its
  // `debug` dependency's optional require of supports-color, a package we do not ship.
  external: ['@vscode/ripgrep', '@vscode/tree-sitter-wasm', 'ioredis'],
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies call require() for Node built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Less for V8 to scan at start-up; names stay, and the source map leads back to src/.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
