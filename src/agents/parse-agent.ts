/** Turning the text of one agent file into a LoadResult. Pure: no file system access. */

import path from 'node:path';
import type { AgentDefinition, LoadResult, Problem } from './definition.js';
import { checkAgentName, readAgentFields } from './fields.js';
import { locateFrontMatter, readFrontMatter, type Finding } from './front-matter.js';
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

function skip(file: string, reason: string, broken: boolean, line?: number): LoadResult {
  return { kind: 'skipped', file, reason, broken, ...(line !== undefined ? { line } : {}) };
}

/**
 * A file without front matter: name from the file name, title from the first heading,
 * description from the first paragraph. Claude Code itself skips such files, so we say so.
 */
function parseWithoutFrontMatter(file: string, source: string, text: string): LoadResult {
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
  const agent: AgentDefinition = {
    name,
    toolName: toToolName(name),
    title: findFirstHeading(prompt) ?? name,
    description,
    prompt,
    disallowedTools: [],
    model: 'inherit',
    extra: {},
    file,
    source,
    warnings: [warning],
  };
  return { kind: 'agent', agent };
}

/**
 * Parse an agent file. `file` is its absolute path (used for the name when there is no front
 * matter, and in every problem); `source` is its text exactly as read. Never throws for bad
 * content: every problem becomes a warning or a skip with a reason.
 */
export function parseAgentText(file: string, source: string): LoadResult {
  // Parse a normalized copy; `source` stays verbatim for the agent:// resource.
  const text = source.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
  const located = locateFrontMatter(text);
  if (located.kind === 'none') return parseWithoutFrontMatter(file, source, text);
  if (located.kind === 'unclosed') {
    return skip(file, `front matter opened at line ${located.openLine} is never closed with ---`, true, located.openLine);
  }
  const { block } = located;
  const frontMatter = readFrontMatter(block);
  if (frontMatter.refused) return skip(file, frontMatter.refused.reason, true, frontMatter.refused.line);
  const result = readAgentFields(frontMatter, block.openLine);
  if (!result.ok) return skip(file, result.reason, result.broken, result.line);
  const { fields } = result;
  const agent: AgentDefinition = {
    ...fields,
    title: fields.name,
    prompt: unescapeMarkdown(block.body).trim(),
    file,
    source,
    warnings: attach(file, result.findings),
  };
  return { kind: 'agent', agent };
}
