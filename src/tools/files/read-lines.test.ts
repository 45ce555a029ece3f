import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readLineWindow } from './read-lines.js';
import type { ReadLineWindowOptions } from './read-lines.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'read-lines-test-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function windowOf(content: string, overrides: Partial<ReadLineWindowOptions> = {}) {
  const filePath = path.join(dir, 'f.txt');
  await writeFile(filePath, content);
  return readLineWindow({
    filePath,
    startLine: 1,
    maxLines: 100,
    maxLineChars: 5,
    maxTotalChars: 1000,
    countLinesUpToBytes: 1024,
    signal: new AbortController().signal,
    ...overrides,
  });
}

describe('readLineWindow', () => {
  it('splits lines across tiny chunks the same as across big ones', async () => {
    const content = 'ab\ncdefghij\n\nk\r\nlm';
    for (const chunkBytes of [1, 2, 3, 7, 64]) {
      const window = await windowOf(content, { chunkBytes });
      expect(window.lines.map((l) => [l.number, l.text, l.truncatedFromBytes])).toEqual([
        [1, 'ab', undefined],
        [2, 'cdefg', 8],
        [3, '', undefined],
        [4, 'k', undefined],
        [5, 'lm', undefined],
      ]);
      expect(window.totalLines).toBe(5);
      expect(window.hasMoreAfter).toBe(false);
    }
  });

  it('does not split multi-byte characters at chunk boundaries', async () => {
    const window = await windowOf('é✓日\n', { chunkBytes: 1 });
    expect(window.lines[0]?.text).toBe('é✓日');
  });

  it('counts lines: a trailing newline ends the last line rather than starting one', async () => {
    expect((await windowOf('a\nb\n')).totalLines).toBe(2);
    expect((await windowOf('a\nb')).totalLines).toBe(2);
    expect((await windowOf('\n')).totalLines).toBe(1);
  });

  it('stops after maxLines and reports more, with the total when the file is small', async () => {
    const window = await windowOf('1\n2\n3\n4\n', { startLine: 2, maxLines: 2 });
    expect(window.lines.map((l) => l.text)).toEqual(['2', '3']);
    expect(window).toMatchObject({ totalLines: 4, hasMoreAfter: true, stoppedByCharLimit: false });
  });

  it('leaves the total unknown past countLinesUpToBytes but still knows more follows', async () => {
    const window = await windowOf('1\n2\n3\n4\n', { maxLines: 1, countLinesUpToBytes: 2, chunkBytes: 2 });
    expect(window).toMatchObject({ totalLines: undefined, hasMoreAfter: true });
  });

  it('stops at the character budget', async () => {
    const window = await windowOf('aaaaa\nbbbbb\nccccc\n', { maxTotalChars: 12 });
    expect(window.lines.map((l) => l.text)).toEqual(['aaaaa']);
    expect(window).toMatchObject({ hasMoreAfter: true, stoppedByCharLimit: true });
  });

  it('rejects with an AbortError when the signal is aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(windowOf('a\n', { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
  });
});
