/**
 * From front-matter data to agent fields, deciding what is served, what is skipped and why.
 * The shape checks are zod schemas: this is where untrusted file content becomes typed data.
 */

import { z } from 'zod';
import type { FrontMatter } from './front-matter.js';
import type { Finding } from './problem.js';
import { normalizeModelSpec } from './models.js';
import { toToolName } from './tool-name.js';
import { parseToolList } from './tools.js';
import { readRunFields, RUN_FIELD_KEYS, type AgentRunFields } from './run-fields.js';

/** The agent fields read from a file, before file-level data (path, prompt, source) is added. */
export interface AgentFields extends AgentRunFields {
  name: string;
  toolName: string;
  description: string;
  tools?: string[];
  disallowedTools: string[];
  model: string;
  extra: Record<string, unknown>;
}

/** Either fields to serve (with non-fatal findings) or a reason to skip the file. */
export type FieldsResult =
  | { ok: true; fields: AgentFields; findings: Finding[] }
  | { ok: false; reason: string; line?: number; broken: boolean };

/** Keys that become typed fields; every other key goes to `extra` untouched. */
const FIELD_KEYS: ReadonlySet<string> = new Set(['name', 'description', 'tools', 'disallowedTools', 'model', ...RUN_FIELD_KEYS]);

/**
 * A name is text. A YAML number (`name: 123`) is accepted as its decimal string: the author
 * clearly meant a name, and its digits are valid in a tool name. Booleans, dates, lists and maps
 * are rejected, because no string we could make from them is what the author wrote.
 * `null` / empty means "no name".
 */
const nameSchema = z.union([
  z.string().transform((s) => s.trim()),
  z.number().refine(Number.isFinite).transform(String),
  z.null().transform(() => ''),
  z.undefined().transform(() => ''),
]);

/** A description is text; a number is taken as text; `null` / empty means "no description". */
const descriptionSchema = z.union([
  // A literal two-character `\n` is how many exporters wrote line breaks in one-line YAML.
  z.string().transform((s) => s.replace(/\\n/g, '\n').trim()),
  z.number().transform(String),
  z.null().transform(() => ''),
  z.undefined().transform(() => ''),
]);

function describeType(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (value instanceof Date) return 'a date';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'a mapping' : `a ${typeof value}`;
}

/** Why Claude Code would refuse this name, or undefined when it is fine. */
export function checkAgentName(name: string): string | undefined {
  if (name.startsWith('-')) return `name '${name}' starts with '-'; Claude Code skips such files`;
  if (name.includes(':')) return `name '${name}' contains ':', which Claude Code reserves for plugin scopes and refuses`;
  if (toToolName(name) === '') return `name '${name}' has no letters or digits usable in a tool name`;
  return undefined;
}

/**
 * Read and check the known fields of `frontMatter`. `fallbackLine` (the opening rule) is used
 * for problems that belong to no single key.
 */
export function readAgentFields(frontMatter: FrontMatter, fallbackLine: number): FieldsResult {
  const { data, keyLines, lenient } = frontMatter;
  const lineOf = (key: string): number => keyLines.get(key) ?? fallbackLine;
  const name = nameSchema.safeParse(data.name);
  if (!name.success) {
    const reason = `name must be text, but YAML read it as ${describeType(data.name)}; quote it`;
    return { ok: false, broken: true, line: lineOf('name'), reason };
  }
  const description = descriptionSchema.safeParse(data.description);
  if (!description.success) {
    const reason = `description must be text, but YAML read it as ${describeType(data.description)}; quote it`;
    return { ok: false, broken: true, line: lineOf('description'), reason };
  }
  if (name.data === '' && description.data === '') {
    if (lenient) {
      const line = frontMatter.findings.find((f) => f.code === 'lenient-front-matter')?.line ?? fallbackLine;
      return { ok: false, broken: true, line, reason: 'front matter is not valid YAML and no name could be recovered from it' };
    }
    return { ok: false, broken: false, reason: 'not an agent file: the front matter has neither name nor description' };
  }
  if (name.data === '') {
    const reason = 'has a description but no name; Claude Code treats such files as documentation and skips them';
    return { ok: false, broken: true, line: lineOf('description'), reason };
  }
  if (description.data === '') {
    return { ok: false, broken: true, line: lineOf('name'), reason: 'has a name but no description; Claude Code skips such agents' };
  }
  const nameProblem = checkAgentName(name.data);
  if (nameProblem !== undefined) return { ok: false, broken: true, line: lineOf('name'), reason: nameProblem };

  const findings: Finding[] = [...frontMatter.findings];
  const tools = parseToolList(data.tools, 'tools');
  const disallowed = parseToolList(data.disallowedTools, 'disallowedTools');
  for (const p of tools.problems) findings.push({ line: lineOf('tools'), ...p });
  for (const p of disallowed.problems) findings.push({ line: lineOf('disallowedTools'), ...p });
  let model = normalizeModelSpec(data.model);
  if (model === undefined) {
    findings.push({ line: lineOf('model'), code: 'field-value', reason: `model must be text, not ${describeType(data.model)}; using inherit` });
    model = 'inherit';
  }
  const run = readRunFields(data, lineOf);
  findings.push(...run.findings);
  const extra: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(data)) if (!FIELD_KEYS.has(key)) extra[key] = value;
  const fields: AgentFields = {
    name: name.data,
    toolName: toToolName(name.data),
    description: description.data,
    disallowedTools: disallowed.tools ?? [],
    model,
    extra,
    ...run.fields,
    ...(tools.tools ? { tools: tools.tools } : {}),
  };
  return { ok: true, fields, findings };
}
