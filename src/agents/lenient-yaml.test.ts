import { describe, expect, it } from 'vitest';
import { parseLenient } from './lenient-yaml.js';

const lines = (text: string): string[] => text.split('\n');

describe('parseLenient', () => {
  it('keeps an unquoted description containing ": " whole', () => {
    const { data } = parseLenient(lines('name: x\ndescription: Triggers on: a, b\ntools: Read'));
    expect(data).toEqual({ name: 'x', description: 'Triggers on: a, b', tools: 'Read' });
  });

  it('keeps <example> blocks with user:/assistant:/Context: lines in the description', () => {
    const text = [
      'name: reviewer',
      'description: Use this agent to review code. Examples:',
      '<example>',
      'Context: The user wrote code.',
      'user: "Please review"',
      'assistant: "I will use the reviewer agent"',
      '</example>',
      'model: sonnet',
      'color: blue',
    ].join('\n');
    const { data } = parseLenient(lines(text));
    expect(data['description']).toBe(
      'Use this agent to review code. Examples:\n<example>\nContext: The user wrote code.\nuser: "Please review"\nassistant: "I will use the reviewer agent"\n</example>',
    );
    expect(data['model']).toBe('sonnet');
    expect(data['color']).toBe('blue');
    expect(Object.keys(data)).toEqual(['name', 'description', 'model', 'color']);
  });

  it('starts an unknown key after a non-prose value, keeping chunk types', () => {
    const { data } = parseLenient(lines('description: a: b\nmodel: opus\npattern_version: "1.0"\nmaxTurns: 7\nhooks:\n  Stop:\n    - matcher: x'));
    expect(data).toEqual({ description: 'a: b', model: 'opus', pattern_version: '1.0', maxTurns: 7, hooks: { Stop: [{ matcher: 'x' }] } });
  });

  it('reads block scalars, lists and quoted values', () => {
    const text = 'description: |\n  line one: yes\n  line two\ntools:\n  - Read\n  - "Grep"\nname: \'it\'\'s\'\ncolor: "a: b'; // unbalanced quote: raw
    const { data } = parseLenient(lines(text));
    expect(data['description']).toBe('line one: yes\nline two\n'); // YAML's own block scalar, parsed strictly
    expect(data['tools']).toEqual(['Read', 'Grep']);
    expect(data['name']).toBe("it's");
    expect(data['color']).toBe('"a: b');
  });

  it('reports lines that belong to no key', () => {
    expect(parseLenient(lines('stray text\nname: x')).ignoredLines).toEqual([0]);
  });
});
