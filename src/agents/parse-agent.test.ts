import { describe, expect, it } from 'vitest';
import type { AgentDefinition, LoadResult } from './definition.js';
import { parseAgentText } from './parse-agent.js';

const FILE = '/agents/sample.md';

function agentOf(result: LoadResult): AgentDefinition {
  if (result.kind !== 'agent') throw new Error(`expected an agent, got skipped: ${result.reason}`);
  return result.agent;
}

function skipOf(result: LoadResult): Extract<LoadResult, { kind: 'skipped' }> {
  if (result.kind !== 'skipped') throw new Error(`expected a skip, got agent ${result.agent.name}`);
  return result;
}

describe('parseAgentText: fields', () => {
  it('reads a clean file with no warnings and keeps the source verbatim', () => {
    const source = '---\nname: Code Reviewer\ndescription: Reviews code.\ntools: Read, Grep\nmodel: Opus\ncolor: red\nmaxTurns: 4\n---\n\nYou review code.\n';
    const agent = agentOf(parseAgentText(FILE, source));
    expect(agent).toMatchObject({
      name: 'Code Reviewer',
      toolName: 'code-reviewer',
      title: 'Code Reviewer',
      description: 'Reviews code.',
      prompt: 'You review code.',
      tools: ['Read', 'Grep'],
      disallowedTools: [],
      model: 'opus',
      extra: { color: 'red' },
      maxTurns: 4,
      file: FILE,
      source,
      warnings: [],
    });
  });

  it('defaults model to inherit and tools to undefined', () => {
    const agent = agentOf(parseAgentText(FILE, '---\nname: a\ndescription: b\n---\nx'));
    expect(agent.model).toBe('inherit');
    expect(agent.tools).toBeUndefined();
  });

  it('parses disallowedTools like tools', () => {
    const agent = agentOf(parseAgentText(FILE, '---\nname: a\ndescription: b\ndisallowedTools: [Task, Write]\n---\n'));
    expect(agent.disallowedTools).toEqual(['Agent', 'Write']);
  });

  it('turns literal \\n sequences in a description into line breaks', () => {
    const agent = agentOf(parseAgentText(FILE, '---\nname: a\ndescription: First.\\n\\n<example>\\nuser: hi\\n</example>\n---\n'));
    expect(agent.description).toBe('First.\n\n<example>\nuser: hi\n</example>');
  });

  it('recovers an unquoted description with ": " leniently and warns with the line', () => {
    const result = parseAgentText(FILE, '---\nname: a\ndescription: Use it. Examples: <example>Context: x user: y</example>\ntools: Read\n---\nBody');
    const agent = agentOf(result);
    expect(agent.description).toBe('Use it. Examples: <example>Context: x user: y</example>');
    expect(agent.tools).toEqual(['Read']);
    expect(agent.warnings).toEqual([expect.objectContaining({ file: FILE, line: 3, code: 'lenient-front-matter' })]);
  });

  it('reads CRLF files with a BOM', () => {
    const agent = agentOf(parseAgentText(FILE, '\uFEFF---\r\nname: a\r\ndescription: b\r\n---\r\nLine 1\r\nLine 2\r\n'));
    expect(agent.prompt).toBe('Line 1\nLine 2');
  });

  it('accepts a YAML number as a name', () => {
    expect(agentOf(parseAgentText(FILE, '---\nname: 123\ndescription: b\n---\n')).toolName).toBe('123');
  });

  it('warns about unknown tools with the tools line, without failing', () => {
    const agent = agentOf(parseAgentText(FILE, '---\nname: a\ndescription: b\ntools: Read, Teleport\n---\n'));
    expect(agent.tools).toEqual(['Read', 'Teleport']);
    expect(agent.warnings).toEqual([expect.objectContaining({ code: 'unknown-tool', line: 4 })]);
  });
});

describe('parseAgentText: files without front matter', () => {
  const escaped = '\\# Backend Expert Agent\n\n\n\\## Role\n\nYou are a \\*\\*Senior\\*\\* hands\u2011on engineer \\& mentor.\n\n\\- item\n&nbsp; \\- nested\n';

  it('derives name from the file name, title from the heading, description from the first paragraph', () => {
    const agent = agentOf(parseAgentText('/agents/Backend-Expert.md', escaped));
    expect(agent.name).toBe('backend-expert');
    expect(agent.toolName).toBe('backend-expert');
    expect(agent.title).toBe('Backend Expert Agent');
    expect(agent.description).toBe('You are a **Senior** hands-on engineer & mentor.');
    expect(agent.model).toBe('inherit');
    expect(agent.warnings.map((w) => w.code)).toEqual(['no-front-matter']);
  });

  it('unescapes the prompt but keeps the source verbatim', () => {
    const agent = agentOf(parseAgentText('/agents/x.md', escaped));
    expect(agent.prompt).toBe('# Backend Expert Agent\n\n\n## Role\n\nYou are a **Senior** hands-on engineer & mentor.\n\n- item\n  - nested');
    expect(agent.source).toBe(escaped);
  });

  it('skips README.md as not an agent file', () => {
    expect(skipOf(parseAgentText('/agents/README.md', '# Agents\n\nThese are my agents.'))).toMatchObject({ broken: false });
  });

  it('skips an empty file as not an agent file', () => {
    expect(skipOf(parseAgentText('/agents/empty.md', '\n\n'))).toMatchObject({ broken: false });
  });
});

describe('parseAgentText: skips', () => {
  it('skips front matter with neither name nor description as not an agent file', () => {
    expect(skipOf(parseAgentText(FILE, '---\ntitle: Notes\n---\nText'))).toMatchObject({ broken: false, reason: expect.stringMatching(/not an agent file/) });
  });

  it.each([
    ['-hidden', /starts with '-'/],
    ['plugin:agent', /contains ':'/],
  ])('skips name %s as broken', (name, reason) => {
    const skip = skipOf(parseAgentText(FILE, `---\nname: "${name}"\ndescription: d\n---\n`));
    expect(skip).toMatchObject({ broken: true, line: 2, reason: expect.stringMatching(reason) });
  });

  it('skips a name without a description as broken', () => {
    expect(skipOf(parseAgentText(FILE, '---\nname: a\ntools: Read\n---\n'))).toMatchObject({ broken: true, line: 2, reason: expect.stringMatching(/no description/) });
  });

  it('skips a description without a name as broken', () => {
    expect(skipOf(parseAgentText(FILE, '---\ndescription: d\n---\n'))).toMatchObject({ broken: true, reason: expect.stringMatching(/no name/) });
  });

  it('skips a list or mapping name as broken', () => {
    expect(skipOf(parseAgentText(FILE, '---\nname: [a, b]\ndescription: d\n---\n'))).toMatchObject({ broken: true, reason: expect.stringMatching(/a list/) });
    expect(skipOf(parseAgentText(FILE, '---\nname:\n  x: 1\ndescription: d\n---\n'))).toMatchObject({ broken: true, reason: expect.stringMatching(/a mapping/) });
  });

  it('skips front matter that is never closed, with the opening line', () => {
    expect(skipOf(parseAgentText(FILE, '\n---\nname: a\ndescription: b\n'))).toMatchObject({ broken: true, line: 2 });
  });

  it('skips front matter whose YAML aliases expand exponentially (billion laughs), with the opening line', () => {
    const laughs = ['a0: &a0 "lol"', ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(', ')}]`)];
    const source = `\n---\nname: laughs\ndescription: d\n${laughs.join('\n')}\nextra: *a9\n---\nbody\n`;
    expect(skipOf(parseAgentText(FILE, source))).toMatchObject({ broken: true, line: 2, reason: expect.stringMatching(/^front matter YAML aliases/) });
  });

  it('skips front matter so broken that no name is found, with the line YAML failed at', () => {
    const skip = skipOf(parseAgentText(FILE, '---\ncolour: [unclosed\nsize: 3\n---\n'));
    expect(skip).toMatchObject({ broken: true, line: expect.any(Number), reason: expect.stringMatching(/no name could be recovered/) });
  });
});
