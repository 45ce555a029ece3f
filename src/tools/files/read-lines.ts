/**
 * Read a window of lines from a file of any size, in bounded memory.
 *
 * Works on bytes (newline = 0x0A) so skipping to a far offset never decodes what it skips, and keeps
 * at most `maxLineChars * 4` bytes of any one line, so a 1 GB file with no newline costs a few KiB.
 */
import { open } from 'node:fs/promises';
import { throwIfAborted } from '../tool-output.js';

/** Options of {@link readLineWindow}. */
export interface ReadLineWindowOptions {
  filePath: string;
  /** First line to return, 1-based. */
  startLine: number;
  /** Most lines to return. */
  maxLines: number;
  /** Longer lines are cut to this many characters. */
  maxLineChars: number;
  /** Stop adding lines once their text would exceed this many characters in total. */
  maxTotalChars: number;
  /** Keep scanning to the end to count all lines when the file is at most this big (bytes). */
  countLinesUpToBytes: number;
  signal: AbortSignal;
  /** Read size. Default 64 KiB. */
  chunkBytes?: number;
}

/** One returned line. */
export interface WindowLine {
  /** 1-based line number. */
  number: number;
  /** The text without its line ending, cut to `maxLineChars`. */
  text: string;
  /** Length of the full line in bytes, when it was cut; undefined when shown whole. */
  truncatedFromBytes: number | undefined;
}

/** What {@link readLineWindow} found. */
export interface LineWindow {
  lines: WindowLine[];
  /** Lines in the whole file, when the scan reached its end. */
  totalLines: number | undefined;
  /** True when lines follow the last one returned. */
  hasMoreAfter: boolean;
  /** True when `maxTotalChars` (not `maxLines`) ended the window. */
  stoppedByCharLimit: boolean;
}

const NEWLINE = 0x0a;

/**
 * Read lines `startLine … startLine + maxLines - 1` of `filePath`.
 * @throws the fs error when the file cannot be opened or read; an AbortError when `signal` aborts.
 */
export async function readLineWindow(options: ReadLineWindowOptions): Promise<LineWindow> {
  const { startLine, maxLines, maxLineChars, maxTotalChars, signal } = options;
  const keepBytes = maxLineChars * 4 + 4; // enough bytes for maxLineChars characters of any UTF-8
  const handle = await open(options.filePath, 'r');
  try {
    const size = (await handle.stat()).size;
    const countToEnd = size <= options.countLinesUpToBytes;
    const buffer = Buffer.allocUnsafe(options.chunkBytes ?? 64 * 1024);
    const lines: WindowLine[] = [];
    let totalChars = 0;
    let windowDone = false;
    let stoppedByCharLimit = false;
    let windowEndByte = 0; // byte offset just past the last line the window took
    let position = 0;
    let lineNumber = 1; // the line currently being read
    let lineBytes = 0; // bytes of the current line so far
    let kept: Buffer[] = [];
    let keptBytes = 0;

    /** Take the line just completed into the window if it belongs there; true when taken. */
    const finishLine = (): boolean => {
      if (windowDone || lineNumber < startLine) return false;
      const line = decodeLine(Buffer.concat(kept, keptBytes), lineBytes, maxLineChars);
      if (totalChars + line.text.length > maxTotalChars && lines.length > 0) {
        windowDone = true;
        stoppedByCharLimit = true;
        return false;
      }
      lines.push({ number: lineNumber, ...line });
      totalChars += line.text.length + 8; // plus the line-number prefix
      if (lines.length >= maxLines) windowDone = true;
      return true;
    };

    let reachedEnd = false;
    for (;;) {
      throwIfAborted(signal);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) {
        reachedEnd = true;
        break;
      }
      const chunk = buffer.subarray(0, bytesRead);
      let index = 0;
      while (index < bytesRead) {
        const newline = chunk.indexOf(NEWLINE, index);
        const end = newline === -1 ? bytesRead : newline;
        if (!windowDone && lineNumber >= startLine && keptBytes < keepBytes) {
          const take = chunk.subarray(index, Math.min(end, index + keepBytes - keptBytes));
          kept.push(Buffer.from(take)); // copy: the read buffer is reused
          keptBytes += take.length;
        }
        lineBytes += end - index;
        if (newline === -1) break;
        if (finishLine()) windowEndByte = position + newline + 1;
        lineNumber += 1;
        lineBytes = 0;
        kept = [];
        keptBytes = 0;
        index = newline + 1;
      }
      position += bytesRead;
      if (windowDone && !countToEnd) break;
    }

    let totalLines: number | undefined;
    if (reachedEnd) {
      if (lineBytes > 0) {
        if (finishLine()) windowEndByte = position; // a last line without a trailing newline
        totalLines = lineNumber;
      } else {
        totalLines = lineNumber - 1;
      }
    }
    const lastShown = lines.at(-1)?.number ?? startLine - 1;
    const hasMoreAfter = totalLines !== undefined ? totalLines > lastShown : windowEndByte < size;
    return { lines, totalLines, hasMoreAfter, stoppedByCharLimit };
  } finally {
    await handle.close();
  }
}

/** Decode a line's kept bytes, drop a CR before the LF, and cut to `maxLineChars`. */
function decodeLine(bytes: Buffer, fullBytes: number, maxLineChars: number): Omit<WindowLine, 'number'> {
  let text = bytes.toString('utf8');
  let lineLength = fullBytes;
  if (text.endsWith('\r') && bytes.length === fullBytes) {
    text = text.slice(0, -1);
    lineLength -= 1;
  }
  if (text.length <= maxLineChars && bytes.length === fullBytes) return { text, truncatedFromBytes: undefined };
  let cut = Math.min(maxLineChars, text.length);
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1; // do not split a surrogate pair
  if (cut >= text.length && bytes.length === fullBytes) return { text, truncatedFromBytes: undefined };
  return { text: text.slice(0, cut), truncatedFromBytes: lineLength };
}
