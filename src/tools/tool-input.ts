/**
 * Parsing the model's tool input at the boundary, with zod, into messages the model can act on.
 */
import { z } from 'zod';
import type { JsonSchemaObject, ToolResult } from './tool.js';
import { textResult } from './tool.js';

/** Longest path string a file tool accepts (Linux PATH_MAX). */
export const MAX_PATH_CHARS = 4096;

/** Result of {@link parseToolInput}: the typed input, or an `isError` result to hand back. */
export type ParsedToolInput<T> = { ok: true; data: T } | { ok: false; result: ToolResult };

/**
 * Validate `input` against `schema`. Unknown fields are dropped (zod objects strip by default).
 * On failure returns an `isError` result such as `Read: file_path: expected string, got number`.
 */
export function parseToolInput<S extends z.ZodType>(toolName: string, schema: S, input: unknown): ParsedToolInput<z.output<S>> {
  const parsed = schema.safeParse(input, { reportInput: true });
  if (parsed.success) return { ok: true, data: parsed.data };
  const problems = parsed.error.issues.map(formatIssue);
  return { ok: false, result: textResult(`${toolName}: ${problems.join('; ')}`, true) };
}

/** One zod issue as `field: problem`. */
export function formatIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.length === 0 ? 'input' : issue.path.map(String).join('.');
  return `${field}: ${describeProblem(issue)}`;
}

function describeProblem(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    if (issue.input === undefined) return `required (expected ${issue.expected})`;
    const got = describeValueType(issue.input);
    // zod reports a non-integer number as "expected int, received number"; say what is wrong.
    if (issue.expected === 'int' && got === 'number') return 'expected an integer, got a fractional number';
    return `expected ${issue.expected}, got ${got}`;
  }
  if (issue.code === 'too_big') return describeBound(issue, 'at most', issue.maximum);
  if (issue.code === 'too_small') return describeBound(issue, 'at least', issue.minimum);
  if (issue.code === 'invalid_value') {
    const allowed = issue.values.map((v) => JSON.stringify(v)).join(', ');
    return `expected one of ${allowed}, got ${JSON.stringify(issue.input) ?? describeValueType(issue.input)}`;
  }
  return issue.message.replace(/^Invalid input: /, '');
}

function describeBound(
  issue: z.core.$ZodIssueTooBig | z.core.$ZodIssueTooSmall,
  relation: 'at most' | 'at least',
  bound: number | bigint,
): string {
  const input = issue.input;
  if (issue.origin === 'string' && typeof input === 'string') {
    if (relation === 'at least' && bound === 1) return 'must not be empty';
    return `${relation === 'at most' ? 'too long' : 'too short'}: ${input.length} characters, ${relation} ${bound} allowed`;
  }
  if (issue.origin === 'array' && Array.isArray(input)) {
    return `${relation === 'at most' ? 'too many' : 'too few'} items: ${input.length}, ${relation} ${bound} allowed`;
  }
  if (typeof input === 'number') return `must be ${relation} ${bound}, got ${input}`;
  return issue.message;
}

/** `typeof`, refined: null and array are told apart from object. */
export function describeValueType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number' && Number.isNaN(value)) return 'NaN';
  return typeof value;
}

/** Converted schemas by zod schema; shared, so never mutate what {@link toInputJsonSchema} returns. */
const jsonSchemas = new WeakMap<z.ZodType, JsonSchemaObject>();

/**
 * The JSON Schema the Messages API gets for a tool's zod input schema (input side, no `$schema`).
 * @throws Error when the schema does not describe an object.
 */
export function toInputJsonSchema(schema: z.ZodType): JsonSchemaObject {
  // The Agent tool is built for every run (its description lists the agents), and converting its
  // schema each time was ~5 % of a call's CPU; a schema converts the same way every time.
  const known = jsonSchemas.get(schema);
  if (known) return known;
  const json: Record<string, unknown> = { ...z.toJSONSchema(schema, { io: 'input' }) };
  if (json.type !== 'object') throw new Error('a tool input schema must be an object schema');
  delete json.$schema;
  const converted: JsonSchemaObject = { ...json, type: 'object' };
  jsonSchemas.set(schema, converted);
  return converted;
}
