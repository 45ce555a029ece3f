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

/**
 * `debug` (under ioredis) tries `require('supports-color')` in a try/catch; it is no dependency of
 * ours, so the bundle would keep a run-time require of a package that is never installed. Bundled
 * as nothing instead: the same outcome (no colour detection) without a stray require.
 */
const withoutOptionalSupportsColor = {
  name: 'without-optional-supports-color',
  setup(bundle) {
    bundle.onResolve({ filter: /^supports-color$/ }, () => ({ path: 'supports-color', namespace: 'absent' }));
    bundle.onLoad({ filter: /.*/, namespace: 'absent' }, () => ({ contents: 'module.exports = undefined;', loader: 'js' }));
  },
};

await build({
  entryPoints: [path.join(root, 'src', 'cli.ts')],
  outdir: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  external: ['@vscode/ripgrep', '@vscode/tree-sitter-wasm'],
  plugins: [withoutOptionalSupportsColor],
  chunkNames: 'chunks/[name]-[hash]',
  // CommonJS dependencies call require() for Node built-ins; an ES module has none of its own.
  banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
  // Less for V8 to scan at start-up; names stay, and the source map leads back to src/.
  minifyWhitespace: true,
  minifySyntax: true,
  logLevel: 'warning',
});
