import { mkdtemp, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFileTools } from './registry.js';
import type { LocalTool, ToolContext, ToolResult } from '../tool.js';

let ws: string;
const tools = new Map<string, LocalTool>(createFileTools().map((tool) => [tool.name, tool]));

function tool(name: string): LocalTool {
  const found = tools.get(name);
  if (found === undefined) throw new Error(`no tool ${name}`);
  return found;
}

function ctx(): ToolContext {
  return { signal: new AbortController().signal, roots: [ws], runId: 'test' };
}

function textOf(result: ToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('');
}

beforeAll(async () => {
  ws = await realpath(await mkdtemp(path.join(tmpdir(), 'input-test-')));
  await writeFile(path.join(ws, 'a.txt'), 'hello\n');
});

afterAll(async () => {
  await rm(ws, { recursive: true, force: true });
});

const HUGE = 'x'.repeat(100_000);

const CASES: [toolName: string, input: unknown, message: string][] = [
  ['Read', { file_path: 42 }, 'Read: file_path: expected string, got number'],
  ['Read', {}, 'Read: file_path: required (expected string)'],
  ['Read', null, 'Read: input: expected object, got null'],
  ['Read', 'a.txt', 'Read: input: expected object, got string'],
  ['Read', [{ file_path: 'a.txt' }], 'Read: input: expected object, got array'],
  ['Read', { file_path: 'a.txt', offset: '5' }, 'Read: offset: expected number, got string'],
  ['Read', { file_path: 'a.txt', offset: 1.5 }, 'Read: offset: expected an integer, got a fractional number'],
  ['Read', { file_path: 'a.txt', limit: 0 }, 'Read: limit: must be at least 1, got 0'],
  ['Read', { file_path: 'a.txt', offset: -1, limit: -1 }, 'Read: offset: must be at least 0, got -1; limit: must be at least 1, got -1'],
  ['Read', { file_path: HUGE }, 'Read: file_path: too long: 100000 characters, at most 4096 allowed'],
  ['LS', { path: null }, 'LS: path: expected string, got null'],
  ['LS', { path: '.', ignore: '*.log' }, 'LS: ignore: expected array, got string'],
  ['LS', { path: '.', ignore: ['ok', 3] }, 'LS: ignore.1: expected string, got number'],
  ['LS', { path: '.', ignore: Array.from({ length: 101 }, () => 'x') }, 'LS: ignore: too many items: 101, at most 100 allowed'],
  ['Glob', { path: '.' }, 'Glob: pattern: required (expected string)'],
  ['Glob', { pattern: '' }, 'Glob: pattern: must not be empty'],
  ['Glob', { pattern: HUGE }, 'Glob: pattern: too long: 100000 characters, at most 4096 allowed'],
  ['Glob', { pattern: ['*.ts'] }, 'Glob: pattern: expected string, got array'],
  ['Grep', { pattern: true }, 'Grep: pattern: expected string, got boolean'],
  ['Grep', { pattern: 'x', output_mode: 'lines' }, 'Grep: output_mode: expected one of "content", "files_with_matches", "count", got "lines"'],
  ['Grep', { pattern: 'x', '-A': '2' }, 'Grep: -A: expected number, got string'],
  ['Grep', { pattern: 'x', '-i': 'yes' }, 'Grep: -i: expected boolean, got string'],
  ['Grep', { pattern: 'x', head_limit: -5 }, 'Grep: head_limit: must be at least 0, got -5'],
  ['Grep', { pattern: 'x', type: '--pre=sh' }, 'Grep: type: expected an rg file type name such as js, py, rust'],
  ['Grep', { pattern: HUGE.repeat(2) }, 'Grep: pattern: too long: 200000 characters, at most 10000 allowed'],
];

describe('invalid input', () => {
  it.each(CASES)('%s rejects %j', async (toolName, input, message) => {
    const result = await tool(toolName).run(input, ctx());
    expect(result).toEqual({ content: [{ type: 'text', text: message }], isError: true });
  });
});

describe('unknown fields', () => {
  it('are ignored', async () => {
    const result = await tool('Read').run({ file_path: 'a.txt', pages: '1-2', bogus: { deep: true } }, ctx());
    expect(textOf(result)).toBe('     1\thello');
  });
});

describe('registry', () => {
  it('creates Read, LS, Glob and Grep, all read-only, with object input schemas', () => {
    const all = createFileTools();
    expect(all.map((t) => t.name)).toEqual(['Read', 'LS', 'Glob', 'Grep']);
    for (const t of all) {
      expect(t.kind).toBe('read');
      expect(t.inputSchema.type).toBe('object');
      expect(t.inputSchema).not.toHaveProperty('$schema');
      expect(t.description.length).toBeGreaterThan(20);
    }
    expect(tool('Grep').inputSchema.required).toEqual(['pattern']);
    expect(Object.keys(tool('Grep').inputSchema.properties ?? {})).toEqual([
      'pattern', 'path', 'glob', 'output_mode', '-B', '-A', '-C', 'context', '-n', '-i', '-o', 'type', 'head_limit', 'offset', 'multiline',
    ]);
  });
});
