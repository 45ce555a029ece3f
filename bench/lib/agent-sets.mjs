/**
 * The agent folders the benchmarks serve: the bundled agents, and larger sets generated here
 * (deterministic, shaped like real agent files: a front matter with a long description holding
 * `<example>` blocks, a tools list, a model; a Markdown body of ~6 KB, so 3,000 files are ~19 MB
 * like the public collections). Generated folders live in a temp dir removed on exit.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './build.mjs';

/** The five agents shipped in agents/. */
export const BUNDLED_AGENTS_DIR = path.join(REPO_ROOT, 'agents');

const cleanups = [];
process.once('exit', () => {
  for (const dir of cleanups) rmSync(dir, { recursive: true, force: true });
});

/** A temp folder, removed when the process exits. */
export function createTempDir(prefix) {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(dir);
  return dir;
}

const DOMAINS = ['backend', 'frontend', 'database', 'security', 'testing', 'devops', 'data', 'mobile', 'docs', 'performance', 'cloud', 'api'];
const TOOL_SETS = ['Read, Grep, Glob', 'Read, Write, Edit, Bash', 'Read, Grep, Glob, Bash, WebFetch', undefined];
const MODELS = ['sonnet', 'opus', 'haiku', 'inherit'];

/** The text of generated agent `i`: ~6 KB, front matter as real collections write it. */
export function generatedAgentText(i) {
  const domain = DOMAINS[i % DOMAINS.length];
  const name = `${domain}-specialist-${i}`;
  const tools = TOOL_SETS[i % TOOL_SETS.length];
  const description =
    `Use this agent when the user needs expert help with ${domain} work: reviewing designs, fixing defects and explaining trade-offs. ` +
    `Examples: <example>Context: The user is stuck on a ${domain} problem. user: "Can you look at why this fails?" ` +
    `assistant: "I'll use the ${name} agent to investigate." <commentary>A ${domain} question calls for the specialist.</commentary></example> ` +
    `<example>Context: A change touches ${domain} code. user: "Review my change." assistant: "Launching ${name} for the review."</example>`;
  const section = (title, k) =>
    `## ${title}\n\n` +
    Array.from({ length: 4 }, (_, p) => `You handle ${domain} tasks step ${k}.${p}: read the code first, state assumptions, prefer small reversible changes, and explain every trade-off with **evidence** from the repository, \`tests\` and logs.`).join(' ') +
    `\n\n- Check inputs at the boundary\n- Keep functions small and named for what they do\n- Measure before optimising\n- Write the test that fails first\n\n`;
  const body = `# ${domain[0].toUpperCase()}${domain.slice(1)} specialist ${i}\n\n` + ['Role', 'Approach', 'Checklist', 'Output', 'Pitfalls', 'Examples'].map(section).join('');
  return `---\nname: ${name}\ndescription: ${JSON.stringify(description)}\n${tools ? `tools: ${tools}\n` : ''}model: ${MODELS[i % MODELS.length]}\ncolor: blue\n---\n\n${body}`;
}

/** A temp folder of `count` generated agent files, every one a distinct agent. */
export function createAgentSet(count) {
  const dir = createTempDir(`agents-mcp-bench-${count}-`);
  for (let i = 0; i < count; i++) writeFileSync(path.join(dir, `agent-${i}.md`), generatedAgentText(i));
  return dir;
}
