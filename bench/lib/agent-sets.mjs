/**
 * The agent folders the benchmarks serve: the bundled agents, the real-world corpus, and
 * larger sets made from the corpus by giving every copy a unique name (in a temp dir that is
 * removed when the process exits).
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './build.mjs';

/** The five agents shipped in agents/. */
export const BUNDLED_AGENTS_DIR = path.join(REPO_ROOT, 'agents');

/** 332 agent files from three public collections; AGENTS_MCP_CORPUS overrides the location. */
export const CORPUS_DIR = path.resolve(process.env.AGENTS_MCP_CORPUS ?? path.join(REPO_ROOT, 'test', 'fixtures', 'corpus'));

/** Why the corpus cannot be used, or undefined when it can. */
export function corpusProblem() {
  return existsSync(CORPUS_DIR) ? undefined : `corpus not found at ${CORPUS_DIR} (set AGENTS_MCP_CORPUS)`;
}

function corpusFiles() {
  return readdirSync(CORPUS_DIR, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.md'))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

const RULE = /^\s*-{3,}\s*$/;
const NAME_LINE = /^(\s*)name(\s*):\s*(.*?)\s*$/;

/** `text` with the front matter's `name:` value suffixed by `suffix` (files without one are named by file name). */
function renameAgent(text, suffix) {
  const lines = text.split('\n');
  const open = lines.findIndex((l) => l.trim() !== '');
  if (open === -1 || !RULE.test(lines[open])) return text;
  for (let i = open + 1; i < lines.length && !RULE.test(lines[i]); i++) {
    const m = NAME_LINE.exec(lines[i]);
    if (!m) continue;
    const value = m[3].replace(/^(['"])(.*)\1$/, '$2');
    lines[i] = `${m[1]}name${m[2]}: ${value}${suffix}`;
    break;
  }
  return lines.join('\n');
}

const cleanups = [];
process.once('exit', () => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});

/**
 * A temp folder of `count` agent files, the corpus cycled with every copy renamed
 * (`<name>-<n>`), so every file is a distinct agent. Removed when the process exits.
 */
export function createAgentSet(count) {
  const problem = corpusProblem();
  if (problem) throw new Error(problem);
  const sources = corpusFiles().map((file) => ({ base: path.basename(file, '.md'), text: readFileSync(file, 'utf8') }));
  const dir = mkdtempSync(path.join(os.tmpdir(), `agents-mcp-bench-${count}-`));
  cleanups.push(dir);
  for (let i = 0; i < count; i++) {
    const { base, text } = sources[i % sources.length];
    writeFileSync(path.join(dir, `${base}-${i}.md`), renameAgent(text, `-${i}`));
  }
  return dir;
}
