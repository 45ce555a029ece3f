import { describe, expect, it } from 'vitest';
import { formatColumns, wrapText } from './columns.js';

describe('wrapText', () => {
  it('breaks at spaces, and inside a word only when it has to', () => {
    expect(wrapText('one two three four', 9)).toEqual(['one two', 'three', 'four']);
    expect(wrapText('abcdefghijkl', 5)).toEqual(['abcde', 'fghij', 'kl']);
    expect(wrapText('', 5)).toEqual(['']);
  });
});

describe('formatColumns', () => {
  it('pads every column but the last and wraps the last to the width, indented under it', () => {
    const text = formatColumns(['A', 'REASON'], [['x', 'a reason long enough to need two lines here']], { width: 30 });
    expect(text.split('\n')).toEqual(['A  REASON', 'x  a reason long enough to', '   need two lines here']);
  });

  it('keeps one line per row without a width', () => {
    expect(formatColumns(['A', 'B'], [['x', 'long '.repeat(40).trim()]]).split('\n')).toHaveLength(2);
  });
});
