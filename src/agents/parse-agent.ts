/** Turning the text of one agent file into a LoadResult. Pure: no file system access. */

import path from 'node:path';
import type { AgentDefinition, AgentHead, LoadResult, Problem } from './definition.js';
import { checkAgentName, readAgentFields } from './fields.js';
import { locateFrontMatter, readFrontMatter } from './front-matter.js';
import type { Finding } from './problem.js';
import { findFirstHeading, findFirstParagraph, unescapeMarkdown } from './markdown.js';
import { toToolName } from './tool-name.js';

/**
 * Base names (without `.md`, lowercased) of repository documents that sit beside agent files.
 * Without front matter they are documentation, never agents.
 */
const DOCUMENT_NAMES: ReadonlySet<string> = new Set([
  'readme', 'changelog', 'contributing', 'license', 'code_of_conduct', 'security', 'claude', 'agents',
]);

function attach(file: string, findings: readonly Finding[]): Problem[] {
  return findings.map((finding) => ({ file, ...finding }));
}

function skip(file: string, reason: string, broken: boolean, line?: number): Extract<LoadResult, { kind: 'skipped' }> {
  return { kind: 'skipped', file, reason, broken, ...(line !== undefined ? { line } : {}) };
}

/** The outcome of reading an agent's head: the agent without its body, or why the file is skipped. */
export type HeadResult = { kind: 'agent'; head: AgentHead } | Extract<LoadResult, { kind: 'skipped' }>;

/** The text parsed: `source` without a BOM and with LF line endings (`source` stays verbatim for the resource). */
function normalize(source: string): string {
  return source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * A file without front matter: name from the file name, title from the first heading,
 * description from the first paragraph. Claude Code itself skips such files, so we say so.
 */
function parseHeadWithoutFrontMatter(file: string, text: string): HeadResult {
  const name = path.basename(file).replace(/\.md$/i, '').toLowerCase();
  if (DOCUMENT_NAMES.has(name)) return skip(file, 'not an agent file: a repository document without front matter', false);
  const prompt = unescapeMarkdown(text).trim();
  const description = findFirstParagraph(prompt);
  if (description === undefined) {
    return skip(file, 'not an agent file: no front matter and no paragraph of text', false);
  }
  const nameProblem = checkAgentName(name);
  if (nameProblem !== undefined) return skip(file, nameProblem, true);
  const warning: Problem = {
    file,
    code: 'no-front-matter',
    reason: 'no front matter: name taken from the file name, description from the first paragraph; Claude Code would not load this file',
  };
  const head: AgentHead = {
    name,
    toolName: toToolName(name),
    title: findFirstHeading(prompt) ?? name,
    description,
    disallowedTools: [],
    model: 'inherit',
    extra: {},
    file,
    warnings: [warning],
  };
  return { kind: 'agent', head };
}

/**
 * Parse what an agent is without its body: everything but `prompt` and `source`, which is what
 * listing, ranking and validating need. `file` is its absolute path (used for the name when
 * there is no front matter, and in every problem); `source` is its text exactly as read. Never
 * throws for bad content: every problem becomes a warning or a skip with a reason.
 */
export function parseAgentHead(file: string, source: string): HeadResult {
  const text = normalize(source);
  const located = locateFrontMatter(text);
  if (located.kind === 'none') return parseHeadWithoutFrontMatter(file, text);
  if (located.kind === 'unclosed') {
    return skip(file, `front matter opened at line ${located.openLine} is never closed with ---`, true, located.openLine);
  }
  const { block } = located;
  const frontMatter = readFrontMatter(block);
  if (frontMatter.refused) return skip(file, frontMatter.refused.reason, true, frontMatter.refused.line);
  const result = readAgentFields(frontMatter, block.openLine);
  if (!result.ok) return skip(file, result.reason, result.broken, result.line);
  const { fields } = result;
  return { kind: 'agent', head: { ...fields, title: fields.name, file, warnings: attach(file, result.findings) } };
}

/**
 * The system prompt of an agent file: the body after the front matter (the whole text when
 * there is none), with escaped markdown undone and trimmed; empty for an unclosed block.
 */
export function readAgentPrompt(source: string): string {
  const text = normalize(source);
  const located = locateFrontMatter(text);
  if (located.kind === 'none') return unescapeMarkdown(text).trim();
  if (located.kind === 'unclosed') return '';
  return unescapeMarkdown(located.block.body).trim();
}

/**
 * Parse an agent file in full: {@link parseAgentHead} plus its prompt and the source verbatim.
 * Never throws for bad content.
 */
export function parseAgentText(file: string, source: string): LoadResult {
  const result = parseAgentHead(file, source);
  if (result.kind === 'skipped') return result;
  const agent: AgentDefinition = { ...result.head, prompt: readAgentPrompt(source), source };
  return { kind: 'agent', agent };
}
