import { describe, expect, it } from 'vitest';
import { locateFrontMatter, readFrontMatter } from './front-matter.js';

function found(text: string) {
  const located = locateFrontMatter(text);
  if (located.kind !== 'found') throw new Error(`expected front matter, got ${located.kind}`);
  return located.block;
}

describe('locateFrontMatter', () => {
  it('finds a plain block and the body after it', () => {
    const block = found('---\nname: a\ndescription: b\n---\nBody\n');
    expect(block.lines).toEqual(['name: a', 'description: b']);
    expect(block.body).toBe('Body\n');
    expect(block.openLine).toBe(1);
    expect(block.layout).toBeUndefined();
  });

  it('accepts a blank line after the opening rule without complaint', () => {
    const block = found('---\n\nname: a\n---\nBody');
    expect(readFrontMatter(block).data).toEqual({ name: 'a' });
    expect(block.layout).toBeUndefined();
  });

  it('accepts a closing rule of many dashes, keeping the dashes out of the body', () => {
    const block = found('---\nname: a\n------\nBody');
    expect(block.body).toBe('Body');
    expect(block.layout?.code).toBe('front-matter-layout');
  });

  it('accepts an indented block after blank lines and de-indents it', () => {
    const block = found('\n    ---\n    name: a\n    tools:\n      - Read\n    ---\n\nBody');
    expect(block.lines).toEqual(['name: a', 'tools:', '  - Read']);
    expect(block.openLine).toBe(2);
    expect(block.layout?.reason).toMatch(/starts at line 2.*indented by 4/);
    expect(readFrontMatter(block).data).toEqual({ name: 'a', tools: ['Read'] });
  });

  it('does not take a leading horizontal rule followed by prose for front matter', () => {
    expect(locateFrontMatter('---\n\nSome prose here.\n\n---\n')).toEqual({ kind: 'none' });
    expect(locateFrontMatter('# Title\n---\nname: a\n---')).toEqual({ kind: 'none' });
  });

  it('reports an opening rule that is never closed', () => {
    expect(locateFrontMatter('---\nname: a\ndescription: b\n')).toEqual({ kind: 'unclosed', openLine: 1 });
  });
});

describe('readFrontMatter', () => {
  it('keeps YAML types when strict parsing works', () => {
    const result = readFrontMatter(found('---\nname: a\nmaxTurns: 5\nbackground: true\nskills: [x, y]\n---\n'));
    expect(result.lenient).toBe(false);
    expect(result.data).toEqual({ name: 'a', maxTurns: 5, background: true, skills: ['x', 'y'] });
    expect(result.keyLines.get('maxTurns')).toBe(3);
  });

  it('falls back to the lenient reader with the 1-based file line where YAML failed', () => {
    const text = '\n---\nname: a\ndescription: Use it. Examples: one\nmodel: opus\n---\n';
    const result = readFrontMatter(found(text));
    expect(result.lenient).toBe(true);
    expect(result.data).toEqual({ name: 'a', description: 'Use it. Examples: one', model: 'opus' });
    const warning = result.findings.find((f) => f.code === 'lenient-front-matter');
    expect(warning?.line).toBe(4);
  });
});
