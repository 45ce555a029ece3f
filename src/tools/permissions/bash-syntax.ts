/**
 * Bash's grammar, for judging commands before they run: tree-sitter-bash compiled to WebAssembly,
 * from @vscode/tree-sitter-wasm (the build VS Code ships for its own terminal command checks). WASM
 * needs no compiler at install time and behaves the same on every platform; the package bundles
 * the runtime and the grammar built together, so their versions always match. Why this parser and
 * not another: docs/permissions.md, "How Bash commands are read".
 */
import { createRequire } from 'node:module';
import type * as TreeSitter from '@vscode/tree-sitter-wasm';

/** A parsed command's syntax tree node. */
export type SyntaxNode = TreeSitter.Node;

const require = createRequire(import.meta.url);

let loading: Promise<TreeSitter.Parser> | undefined;

async function loadParser(): Promise<TreeSitter.Parser> {
  const runtime = require('@vscode/tree-sitter-wasm') as typeof TreeSitter;
  const wasmFile = (name: string): string => require.resolve(`@vscode/tree-sitter-wasm/wasm/${name}`);
  await runtime.Parser.init({ locateFile: (file) => wasmFile(file) });
  const bash = await runtime.Language.load(wasmFile('tree-sitter-bash.wasm'));
  const parser = new runtime.Parser();
  parser.setLanguage(bash);
  return parser;
}

/**
 * Parse `command` as bash and hand its syntax tree to `read`, which must copy out what it needs:
 * the tree lives in WebAssembly memory and is freed when `read` returns. The parser is loaded on
 * first use (a few tens of milliseconds) and shared; `read` runs synchronously, so concurrent
 * callers never interleave on it.
 * @throws Error when the grammar cannot be loaded (the package is missing or broken).
 */
export async function readBashSyntax<T>(command: string, read: (root: SyntaxNode) => T): Promise<T> {
  loading ??= loadParser().catch((err: unknown) => {
    loading = undefined;
    throw new Error(`the bash grammar (@vscode/tree-sitter-wasm) could not be loaded: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  });
  const parser = await loading;
  const tree = parser.parse(command);
  if (tree === null) throw new Error('the bash grammar returned no syntax tree');
  try {
    return read(tree.rootNode);
  } finally {
    tree.delete();
  }
}
