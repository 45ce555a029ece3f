/**
 * Hostile agent files for the loader campaign: fast-check arbitraries that mutate real corpus
 * files (mutations are plain data, so a failing case prints readably and replays from its seed),
 * and a list of named worst cases (alias bombs, 10 MB files, binary files, …).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { REPO_ROOT } from '../helpers/stdio-server.js';

/** The real-world corpus in the test fixtures (see test/fixtures/README.md). */
export const CORPUS_DIR = path.resolve(REPO_ROOT, 'test/fixtures/corpus');

/** Every corpus file as `{ rel, text }`, sorted by path so the seed picks the same files everywhere. */
export function readCorpus(): Array<{ rel: string; text: string }> {
  const files = readdirSync(CORPUS_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.md'))
    .sort();
  if (files.length === 0) throw new Error(`no corpus files under ${CORPUS_DIR}`);
  return files.map((rel) => ({ rel, text: readFileSync(path.join(CORPUS_DIR, rel), 'utf8') }));
}

/** One change to a file's text. */
export type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'truncate-front-matter'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'insert-bytes'; at: number; bytes: number[] }
  | { kind: 'replace-span'; at: number; length: number; text: string }
  | { kind: 'bom'; count: number }
  | { kind: 'line-endings'; ending: '\r\n' | '\r' | '\n\r' }
  | { kind: 'tabs'; where: 'indent' | 'after-colon' | 'everywhere' }
  | { kind: 'deep-nesting'; depth: number; style: 'flow-seq' | 'flow-map' | 'block-map' | 'block-seq' }
  | { kind: 'aliases'; width: number; depth: number; target: 'extra' | 'name' | 'description' | 'tools' | 'merge' }
  | { kind: 'duplicate-key'; key: string; value: string }
  | { kind: 'name-value'; value: string }
  | { kind: 'front-matter-json'; json: string }
  | { kind: 'extra-rules'; at: number; rule: string }
  | { kind: 'indent-front-matter'; by: string }
  | { kind: 'long-line'; at: number; length: number }
  | { kind: 'random-file'; text: string };

/** A fraction of the way through, as an index into `text`. */
function indexAt(text: string, at: number): number {
  return Math.min(text.length, Math.floor(at * (text.length + 1)));
}

/** Where the front matter block ends (just after the closing rule), or the file length. */
function frontMatterEnd(text: string): number {
  const open = text.indexOf('---');
  if (open === -1) return text.length;
  const close = text.indexOf('\n---', open + 3);
  return close === -1 ? text.length : close + 4;
}

/** Insert `lines` right after the opening rule (or at the start when there is none). */
function insertIntoFrontMatter(text: string, lines: string): string {
  const open = text.indexOf('---\n');
  if (open === -1) return `---\n${lines}\n---\n${text}`;
  const at = open + 4;
  return `${text.slice(0, at)}${lines}\n${text.slice(at)}`;
}

/** Replace the value of the first `key:` line at column 0, or add the key. */
function setKey(text: string, key: string, value: string): string {
  const pattern = new RegExp(`^${key}[ \\t]*:.*$`, 'm');
  return pattern.test(text) ? text.replace(pattern, `${key}: ${value}`) : insertIntoFrontMatter(text, `${key}: ${value}`);
}

/** `width` aliases per level, `depth` levels: width^depth leaves from a few hundred bytes. */
export function aliasBomb(width: number, depth: number): string {
  const lines = ['lol0: &lol0 "lol"'];
  for (let i = 1; i <= depth; i++) lines.push(`lol${i}: &lol${i} [${Array.from({ length: width }, () => `*lol${i - 1}`).join(', ')}]`);
  return lines.join('\n');
}

function deepNesting(depth: number, style: Extract<Mutation, { kind: 'deep-nesting' }>['style']): string {
  switch (style) {
    case 'flow-seq':
      return `deep: ${'['.repeat(depth)}x${']'.repeat(depth)}`;
    case 'flow-map':
      return `deep: ${'{a: '.repeat(depth)}x${'}'.repeat(depth)}`;
    case 'block-map':
      return ['deep:', ...Array.from({ length: depth }, (_, i) => `${' '.repeat(i + 1)}k${i}:`)].join('\n');
    case 'block-seq':
      return ['deep:', ...Array.from({ length: depth }, (_, i) => `${' '.repeat(i + 1)}-`)].join('\n');
  }
}

/** Apply one mutation. Pure. */
export function applyMutation(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, indexAt(text, m.at));
    case 'truncate-front-matter':
      return text.slice(0, Math.floor(m.at * frontMatterEnd(text)));
    case 'insert': {
      const i = indexAt(text, m.at);
      return text.slice(0, i) + m.text + text.slice(i);
    }
    case 'insert-bytes': {
      const i = indexAt(text, m.at);
      return text.slice(0, i) + Buffer.from(m.bytes).toString('latin1') + text.slice(i);
    }
    case 'replace-span': {
      const i = indexAt(text, m.at);
      return text.slice(0, i) + m.text + text.slice(i + m.length);
    }
    case 'bom':
      return '\uFEFF'.repeat(m.count) + text;
    case 'line-endings':
      return text.replace(/\r?\n/g, m.ending);
    case 'tabs':
      if (m.where === 'indent') return text.replace(/^( {2})+/gm, (spaces) => '\t'.repeat(spaces.length / 2));
      if (m.where === 'after-colon') return text.replace(/^([A-Za-z]+):[ ]/gm, '$1:\t');
      return text.replace(/ /g, '\t');
    case 'deep-nesting':
      return insertIntoFrontMatter(text, deepNesting(m.depth, m.style));
    case 'aliases': {
      const bomb = aliasBomb(m.width, m.depth);
      const top = `*lol${m.depth}`;
      if (m.target === 'extra') return insertIntoFrontMatter(text, `${bomb}\nexpanded: ${top}`);
      if (m.target === 'merge') return insertIntoFrontMatter(text, `${bomb}\nmerged:\n  <<: {a: ${top}}\n  b: ${top}`);
      return setKey(insertIntoFrontMatter(text, bomb), m.target, top);
    }
    case 'duplicate-key':
      return insertIntoFrontMatter(text, `${m.key}: ${m.value}`);
    case 'name-value':
      return setKey(text, 'name', m.value);
    case 'front-matter-json': {
      const end = frontMatterEnd(text);
      return `---\n${m.json}\n---\n${text.slice(end)}`;
    }
    case 'extra-rules': {
      const i = text.lastIndexOf('\n', indexAt(text, m.at));
      return `${text.slice(0, i + 1)}${m.rule}\n${text.slice(i + 1)}`;
    }
    case 'indent-front-matter': {
      const end = frontMatterEnd(text);
      return text.slice(0, end).replace(/^/gm, m.by) + text.slice(end);
    }
    case 'long-line': {
      const i = indexAt(text, m.at);
      return `${text.slice(0, i)}${'word '.repeat(Math.ceil(m.length / 5))}\n${text.slice(i)}`;
    }
    case 'random-file':
      return m.text;
  }
}

/** A uniform fraction (fc.double leans towards 0 and 1, which would mostly empty the file). */
const fraction = fc.integer({ min: 0, max: 1_000_000 }).map((n) => n / 1_000_000);

/** Values a YAML `name:` can take that are not plain names. */
const nameValue = fc.oneof(
  fc.constantFrom(
    '123', '-1.5e3', '0x1F', '.inf', '.nan', 'true', 'no', 'null', '~', '', '[a, b]', '{a: 1}', '2024-01-01', '2024-01-01T10:00:00Z',
    '-leading-dash', 'has:colon', '"quoted: colon"', "'single'", '"\\u0000nul"', '|\n  block\n  name', '>-\n  folded', '!!binary aGVsbG8=',
    '!!js/function "function(){}"', '&anchor value', '*undefined_alias', '"🦄 unicorn"', '"名前"', '@at', '`backtick`', '%percent', '? complex',
  ),
  fc.string({ maxLength: 80 }),
  fc.string({ unit: 'binary', maxLength: 40 }).map((s) => JSON.stringify(s)),
  fc.integer().map(String),
  fc.constant('x'.repeat(5000)),
);

/** One mutation, weighted towards the structural ones. */
export const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fraction }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('truncate-front-matter' as const), at: fraction }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('insert' as const), at: fraction, text: fc.string({ unit: 'binary', maxLength: 64 }) }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('insert-bytes' as const), at: fraction, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { maxLength: 64 }) }), weight: 3 },
  {
    arbitrary: fc.record({ kind: fc.constant('replace-span' as const), at: fraction, length: fc.nat(400), text: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('bom' as const), count: fc.integer({ min: 1, max: 3 }) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('line-endings' as const), ending: fc.constantFrom('\r\n' as const, '\r' as const, '\n\r' as const) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('tabs' as const), where: fc.constantFrom('indent' as const, 'after-colon' as const, 'everywhere' as const) }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('deep-nesting' as const),
      depth: fc.oneof(fc.integer({ min: 1, max: 50 }), fc.integer({ min: 50, max: 3000 })),
      style: fc.constantFrom('flow-seq' as const, 'flow-map' as const, 'block-map' as const, 'block-seq' as const),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('aliases' as const),
      width: fc.integer({ min: 1, max: 12 }),
      depth: fc.integer({ min: 1, max: 12 }),
      target: fc.constantFrom('extra' as const, 'name' as const, 'description' as const, 'tools' as const, 'merge' as const),
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('duplicate-key' as const),
      key: fc.constantFrom('name', 'description', 'tools', 'model', 'disallowedTools', 'maxTurns'),
      value: fc.oneof(nameValue, fc.constantFrom('Read, Bash', '[Read]', 'opus', '-3')),
    }),
    weight: 2,
  },
  { arbitrary: fc.record({ kind: fc.constant('name-value' as const), value: nameValue }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('front-matter-json' as const), json: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('extra-rules' as const), at: fraction, rule: fc.constantFrom('---', '----------', '  ---', '--- ', '***') }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('indent-front-matter' as const), by: fc.constantFrom(' ', '  ', '\t', '    ') }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('long-line' as const), at: fraction, length: fc.integer({ min: 1_000, max: 200_000 }) }), weight: 1 },
  {
    arbitrary: fc.record({
      kind: fc.constant('random-file' as const),
      text: fc.oneof(fc.string({ unit: 'binary', maxLength: 2000 }), fc.uint8Array({ maxLength: 2000 }).map((b) => Buffer.from(b).toString('latin1'))),
    }),
    weight: 1,
  },
);

/** A corpus file and the mutations applied to it, in order. */
export interface MutatedFile {
  rel: string;
  mutations: Mutation[];
  text: string;
}

/** Corpus files with one to three mutations each. */
export function mutatedFileArb(corpus: ReadonlyArray<{ rel: string; text: string }>): fc.Arbitrary<MutatedFile> {
  return fc
    .record({ index: fc.nat(corpus.length - 1), mutations: fc.array(mutationArb, { minLength: 1, maxLength: 3 }) })
    .map(({ index, mutations }) => {
      const base = corpus[index]!;
      return { rel: base.rel, mutations, text: mutations.reduce(applyMutation, base.text) };
    });
}

/** A well-formed agent with a given name. */
export function goodAgent(name: string, description = `The ${name} agent.`): string {
  return `---\nname: ${name}\ndescription: ${description}\n---\nYou are ${name}.\n`;
}

/** A named worst case and what the loader must make of it. */
export interface HostileFile {
  /** File name (ends in .md). */
  name: string;
  text: string | Buffer;
  /** `served`, or the skip reason it must give (for a Buffer: when loaded from disk). */
  expect: 'served' | RegExp;
}

/** The 10 MB threshold the issue names. */
export const TEN_MIB = 10 * 1024 * 1024;

/** Named worst cases: each is checked for its exact outcome, in process and on disk. */
export function hostileFiles(): HostileFile[] {
  const laughs = aliasBomb(9, 9);
  return [
    { name: 'billion-laughs.md', text: `---\nname: laughs\ndescription: d\n${laughs}\nextra: *lol9\n---\nbody\n`, expect: /YAML aliases .*billion laughs/ },
    { name: 'billion-laughs-in-name.md', text: `---\n${laughs}\nname: *lol9\ndescription: d\n---\n`, expect: /YAML aliases/ },
    // Strict YAML fails on `a: b`; read key by key, each alias is unresolvable and stays text.
    { name: 'billion-laughs-broken-yaml.md', text: `---\nname: laughs-lenient\ndescription: a: b\n${laughs}\n---\n`, expect: 'served' },
    { name: 'ten-mib-body.md', text: `---\nname: ten-mib-body\ndescription: d\n---\n${'word '.repeat(TEN_MIB / 5)}`, expect: 'served' },
    { name: 'ten-mib-description.md', text: `---\nname: ten-mib-description\ndescription: "${'word '.repeat(TEN_MIB / 5)}"\n---\n`, expect: 'served' },
    { name: 'binary.md', text: Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)), expect: /binary file/ },
    { name: 'bom-crlf-tabs.md', text: '\uFEFF---\r\nname:\tbom-crlf-tabs\r\ndescription:\tTabs and CRLF.\r\n---\r\nBody.\r\n', expect: 'served' },
    { name: 'deep-flow.md', text: `---\nname: deep-flow\ndescription: d\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n---\n`, expect: 'served' },
    { name: 'duplicate-keys.md', text: '---\nname: first\nname: duplicate-keys\ndescription: d\n---\n', expect: 'served' },
    { name: 'name-number.md', text: '---\nname: 42\ndescription: d\n---\n', expect: 'served' },
    { name: 'name-bool.md', text: '---\nname: true\ndescription: d\n---\n', expect: /name must be text.*boolean/ },
    { name: 'name-list.md', text: '---\nname: [a, b]\ndescription: d\n---\n', expect: /name must be text.*list/ },
    { name: 'name-map.md', text: '---\nname: {a: 1}\ndescription: d\n---\n', expect: /name must be text.*mapping/ },
    { name: 'name-date.md', text: '---\nname: 2024-01-01\ndescription: d\n---\n', expect: /name must be text.*date/ },
    { name: 'name-null.md', text: '---\nname:\ndescription: d\n---\n', expect: /no name/ },
    { name: 'name-binary-tag.md', text: '---\nname: !!binary aGVsbG8=\ndescription: d\n---\n', expect: /name must be text/ },
    { name: 'truncated-front-matter.md', text: '---\nname: cut\ndescrip', expect: /never closed/ },
    { name: 'only-rules.md', text: '---\n---\n', expect: /not an agent file/ },
    { name: 'empty.md', text: '', expect: /not an agent file/ },
    { name: 'million-newlines.md', text: '\n'.repeat(1_000_000), expect: /not an agent file/ },
  ];
}
