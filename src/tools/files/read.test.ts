import { mkdir, mkdtemp, open, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_IMAGE_BYTES, createReadTool } from './read.js';
import type { ToolContext, ToolResult } from '../tool.js';

let ws: string;
const read = createReadTool();

function ctx(signal: AbortSignal = new AbortController().signal): ToolContext {
  return { signal, roots: [ws], runId: 'test' };
}

function textOf(result: ToolResult): string {
  return result.content.map((part) => (part.type === 'text' ? part.text : `[${part.type}]`)).join('');
}

const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);

beforeAll(async () => {
  ws = await realpath(await mkdtemp(path.join(tmpdir(), 'read-test-')));
  await writeFile(path.join(ws, 'three.txt'), 'alpha\nbeta\ngamma\n');
  await writeFile(path.join(ws, 'no-eol.txt'), 'one\ntwo');
  await writeFile(path.join(ws, 'crlf.txt'), 'one\r\ntwo\r\n');
  await writeFile(path.join(ws, 'empty.txt'), '');
  await writeFile(path.join(ws, 'many.txt'), Array.from({ length: 2500 }, (_, i) => `line ${i + 1}`).join('\n'));
  await writeFile(path.join(ws, 'long.txt'), `short\n${'x'.repeat(5000)}\nend\n`);
  await writeFile(path.join(ws, 'utf8.txt'), 'héllo wörld ✓\n日本語\n');
  await writeFile(path.join(ws, 'blob.bin'), Buffer.from([0x68, 0x69, 0x00, 0x01, 0x02]));
  await writeFile(path.join(ws, 'doc.pdf'), '%PDF-1.4 text-looking header');
  await writeFile(path.join(ws, 'pixel.png'), PNG_1X1);
  await writeFile(path.join(ws, 'disguised.dat.txt'), PNG_1X1); // an image by magic, whatever the name
  await writeFile(path.join(ws, 'fake.png'), 'not really a png');
  await mkdir(path.join(ws, 'dir'));
});

afterAll(async () => {
  await rm(ws, { recursive: true, force: true });
});

describe('Read', () => {
  it('numbers lines cat -n style', async () => {
    const result = await read.run({ file_path: path.join(ws, 'three.txt') }, ctx());
    expect(result.isError).toBeUndefined();
    expect(textOf(result)).toBe('     1\talpha\n     2\tbeta\n     3\tgamma');
  });

  it('resolves a relative path against the working directory', async () => {
    const result = await read.run({ file_path: 'no-eol.txt' }, ctx());
    expect(textOf(result)).toBe('     1\tone\n     2\ttwo');
  });

  it('drops the CR of CRLF line endings and keeps UTF-8 intact', async () => {
    expect(textOf(await read.run({ file_path: 'crlf.txt' }, ctx()))).toBe('     1\tone\n     2\ttwo');
    expect(textOf(await read.run({ file_path: 'utf8.txt' }, ctx()))).toBe('     1\théllo wörld ✓\n     2\t日本語');
  });

  it('starts at offset and returns limit lines, telling how to continue', async () => {
    const result = await read.run({ file_path: 'many.txt', offset: 10, limit: 3 }, ctx());
    expect(textOf(result)).toBe(
      '    10\tline 10\n    11\tline 11\n    12\tline 12\n\n(Showing lines 10-12 of 2500. Use offset=13 to read more.)',
    );
  });

  it('returns 2000 lines by default and notes the rest', async () => {
    const text = textOf(await read.run({ file_path: 'many.txt' }, ctx()));
    expect(text.split('\n').filter((l) => /^\s+\d+\t/.test(l))).toHaveLength(2000);
    expect(text).toContain('  2000\tline 2000');
    expect(text).toContain('(Showing lines 1-2000 of 2500. Use offset=2001 to read more.)');
  });

  it('shows the last lines without a note when the window reaches the end', async () => {
    const text = textOf(await read.run({ file_path: 'many.txt', offset: 2499 }, ctx()));
    expect(text).toBe('  2499\tline 2499\n  2500\tline 2500');
  });

  it('says so when offset is past the end', async () => {
    const result = await read.run({ file_path: 'three.txt', offset: 99 }, ctx());
    expect(result.isError).toBeUndefined();
    expect(textOf(result)).toBe('(The file three.txt has only 3 lines; offset 99 is past its end.)');
  });

  it('truncates lines longer than 2000 characters', async () => {
    const lines = textOf(await read.run({ file_path: 'long.txt' }, ctx())).split('\n');
    expect(lines[1]).toBe(`     2\t${'x'.repeat(2000)}… [line truncated: 5000 bytes in full]`);
    expect(lines[2]).toBe('     3\tend');
  });

  it('caps the output and points at the next offset', async () => {
    const small = createReadTool({ maxOutputChars: 100 });
    const text = textOf(await small.run({ file_path: 'many.txt' }, ctx()));
    expect(text).toMatch(/\(Showing lines 1-\d+ of 2500 \(output capped at 100 characters\)\. Use offset=\d+ to read more\.\)$/);
    expect(text.length).toBeLessThan(300);
  });

  it('notes an empty file', async () => {
    const result = await read.run({ file_path: 'empty.txt' }, ctx());
    expect(result.isError).toBeUndefined();
    expect(textOf(result)).toBe('(The file empty.txt exists but is empty.)');
  });

  it('refuses a directory and points to LS', async () => {
    const result = await read.run({ file_path: 'dir' }, ctx());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toBe('Read: dir is a directory, use LS to list it');
  });

  it('refuses binary files by content and by extension', async () => {
    const blob = await read.run({ file_path: 'blob.bin' }, ctx());
    expect(blob.isError).toBe(true);
    expect(textOf(blob)).toMatch(/is a binary file/);
    const pdf = await read.run({ file_path: 'doc.pdf' }, ctx());
    expect(textOf(pdf)).toMatch(/doc\.pdf is a binary file \(\.pdf files are binary\)/);
  });

  it('returns images as base64 image content, recognised by magic number', async () => {
    for (const name of ['pixel.png', 'disguised.dat.txt']) {
      const result = await read.run({ file_path: name }, ctx());
      expect(result.isError).toBeUndefined();
      expect(result.content).toEqual([
        { type: 'image', source: { type: 'base64', media_type: 'image/png', data: PNG_1X1.toString('base64') } },
      ]);
    }
  });

  it('refuses a file named like an image whose bytes are not one', async () => {
    const result = await read.run({ file_path: 'fake.png' }, ctx());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/not a PNG, JPEG, GIF or WebP image/);
  });

  it('refuses images larger than the API accepts', async () => {
    const big = Buffer.alloc(MAX_IMAGE_BYTES + 1);
    PNG_1X1.copy(big);
    await writeFile(path.join(ws, 'big.png'), big);
    const result = await read.run({ file_path: 'big.png' }, ctx());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/is an image of 3\.8 MiB; images over 3\.75 MiB cannot be returned/);
  });

  it('reads a window of a 1 GB sparse file without reading it all', async () => {
    const file = path.join(ws, 'huge.log');
    // Text past the 8 KiB binary sniff, then a hole of zeros up to 1 GB.
    await writeFile(file, `first\nsecond\nthird\nfourth\n${'padding line\n'.repeat(1000)}`);
    const handle = await open(file, 'r+');
    await handle.truncate(1024 ** 3); // sparse: no disk space, but 1 GB to anyone reading it
    await handle.close();
    const started = Date.now();
    const result = await read.run({ file_path: 'huge.log', offset: 2, limit: 2 }, ctx());
    expect(Date.now() - started).toBeLessThan(2000);
    expect(textOf(result)).toBe('     2\tsecond\n     3\tthird\n\n(Showing lines 2-3 of more. Use offset=4 to read more.)');
    await rm(file);
  });

  it('stops scanning a huge file when the signal aborts', async () => {
    const file = path.join(ws, 'huge2.log');
    await writeFile(file, `start\n${'padding line\n'.repeat(1000)}`);
    const handle = await open(file, 'r+');
    await handle.truncate(1024 ** 3);
    await handle.close();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const result = await read.run({ file_path: 'huge2.log', offset: 1e9, limit: 1 }, ctx(controller.signal));
    expect(result).toEqual({ content: [{ type: 'text', text: 'Read: cancelled' }], isError: true });
    expect(Date.now() - started).toBeLessThan(1000);
    await rm(file);
  });

  it('keeps only the start of a giant single line', async () => {
    const file = path.join(ws, 'oneline.txt');
    await writeFile(file, 'y'.repeat(3 * 1024 * 1024));
    const text = textOf(await read.run({ file_path: 'oneline.txt' }, ctx()));
    expect(text).toBe(`     1\t${'y'.repeat(2000)}… [line truncated: ${3 * 1024 * 1024} bytes in full]`);
  });

  it('refuses FIFOs and other non-regular files', async () => {
    const fifo = path.join(ws, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const result = await read.run({ file_path: 'pipe' }, ctx());
    expect(result.isError).toBe(true);
    expect(textOf(result)).toMatch(/is not a regular file/);
  });

  it('reports a missing file', async () => {
    const result = await read.run({ file_path: 'nope.txt' }, ctx());
    expect(result).toEqual({ content: [{ type: 'text', text: 'Read: nope.txt does not exist' }], isError: true });
  });

  it('returns "cancelled" when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await read.run({ file_path: 'three.txt' }, ctx(controller.signal));
    expect(result).toEqual({ content: [{ type: 'text', text: 'Read: cancelled' }], isError: true });
  });

  it('exposes Claude Code\'s input schema', () => {
    expect(read.name).toBe('Read');
    expect(read.kind).toBe('read');
    expect(read.inputSchema.required).toEqual(['file_path']);
    expect(Object.keys(read.inputSchema.properties ?? {})).toEqual(['file_path', 'offset', 'limit']);
  });
});
