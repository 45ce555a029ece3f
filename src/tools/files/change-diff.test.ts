import { describe, expect, it } from 'vitest';
import { formatChangeDiff } from './change-diff.js';

describe('formatChangeDiff', () => {
  it('shows the changed line with three lines of context as a unified hunk', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nd\nE\nf\ng\nh\n';
    expect(formatChangeDiff({ before, after })).toBe(['@@ -2,7 +2,7 @@', ' b', ' c', ' d', '-e', '+E', ' f', ' g', ' h'].join('\n'));
  });

  it('shows a new file as added lines', () => {
    expect(formatChangeDiff({ before: undefined, after: 'one\ntwo\n' })).toBe(['@@ -0,0 +1,2 @@', '+one', '+two'].join('\n'));
  });

  it('keeps a large change to the cap and counts the rest', () => {
    const after = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
    const out = formatChangeDiff({ before: undefined, after, maxLines: 10 }).split('\n');
    expect(out).toHaveLength(11);
    expect(out.at(-1)).toBe('… 491 more lines');
  });

  it('shows only the hunks that change in a long file, not the whole file', () => {
    const before = Array.from({ length: 1000 }, (_, i) => `row ${i}`).join('\n');
    const after = before.replace('row 500', 'row five hundred');
    const out = formatChangeDiff({ before, after });
    expect(out.split('\n')).toHaveLength(9);
    expect(out).toContain('-row 500\n+row five hundred');
    expect(out).not.toContain('row 0');
  });

  it('says so when nothing changes', () => {
    expect(formatChangeDiff({ before: 'same\n', after: 'same\n' })).toBe('(no changes)');
  });
});
