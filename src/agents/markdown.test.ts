import { describe, expect, it } from 'vitest';
import { findFirstHeading, findFirstParagraph, unescapeMarkdown } from './markdown.js';

describe('unescapeMarkdown', () => {
  it('removes backslash escapes before punctuation', () => {
    expect(unescapeMarkdown('\\# Title\n\\*\\*bold\\*\\* \\- item \\& more 1\\.')).toBe('# Title\n**bold** - item & more 1.');
  });

  it('decodes common HTML entities, &nbsp; to a plain space', () => {
    expect(unescapeMarkdown('a&nbsp;b &amp; &lt;x&gt; &quot;q&quot; &#39;s&#39; &#x2192; &mdash;')).toBe('a b & <x> "q" \'s\' → —');
  });

  it('turns non-breaking hyphens and no-break spaces into plain ones', () => {
    expect(unescapeMarkdown('hands\u2011on\u00a0work')).toBe('hands-on work');
  });

  it('leaves unknown entities and backslashes before letters alone', () => {
    expect(unescapeMarkdown('&bogus; \\d+ C:\\Users')).toBe('&bogus; \\d+ C:\\Users');
  });

  it('keeps code spans and fenced code verbatim', () => {
    const text = 'use `\\*` here\n```sh\necho \\$HOME &amp;\n```\n\\*after\\*';
    expect(unescapeMarkdown(text)).toBe('use `\\*` here\n```sh\necho \\$HOME &amp;\n```\n*after*');
  });
});

describe('findFirstHeading / findFirstParagraph', () => {
  const body = '# Backend Expert\n\n\n## Role\nYou are **an expert**\nwho writes code.\n\nSecond paragraph.';

  it('finds the first ATX heading', () => {
    expect(findFirstHeading(body)).toBe('Backend Expert');
  });

  it('finds the first non-heading paragraph and joins its lines', () => {
    expect(findFirstParagraph(body)).toBe('You are **an expert** who writes code.');
  });

  it('skips rules, comments and code blocks when looking for a paragraph', () => {
    expect(findFirstParagraph('---\n\n<!-- note -->\n\n```\ncode\n\nmore\n```\n\nReal text.')).toBe('Real text.');
  });

  it('returns undefined when there is no paragraph or heading', () => {
    expect(findFirstParagraph('# Only a heading\n')).toBeUndefined();
    expect(findFirstHeading('just text')).toBeUndefined();
  });
});
