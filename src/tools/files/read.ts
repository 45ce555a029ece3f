/**
 * Read: Claude Code's file reader. Text comes back `cat -n` style (`     1\tline`); PNG, JPEG, GIF
 * and WebP files come back as image content. Files are streamed, never loaded whole.
 */
import { open, stat } from 'node:fs/promises';
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import { classifyFile, SNIFF_BYTES } from './file-kind.js';
import { recordFileSeen } from './file-freshness.js';
import { readLineWindow } from './read-lines.js';
import type { LocalTool, ToolResult } from '../tool.js';
import { textResult } from '../tool.js';
import { MAX_PATH_CHARS } from '../tool-input.js';
import { createWorkspace, resolveInside } from './workspace.js';

/** Lines returned when `limit` is not given. */
export const DEFAULT_READ_LIMIT_LINES = 2000;
/** Longer lines are cut to this many characters. */
export const MAX_READ_LINE_CHARS = 2000;
/**
 * Cap on Read's text output. Larger than other tools' 30k because reading files is Read's job:
 * about 25k tokens, Claude Code's own Read budget. The note tells the model which offset continues.
 */
export const DEFAULT_READ_MAX_OUTPUT_CHARS = 100_000;
/** Files up to this size are scanned to the end so the note can give the total line count. */
export const COUNT_LINES_UP_TO_BYTES = 10 * 1024 * 1024;
/**
 * Largest image returned, in raw bytes: 3.75 MiB encodes to 5 MiB of base64, the Messages API's
 * per-image limit (larger ones would make the API reject the whole request).
 */
export const MAX_IMAGE_BYTES = (5 * 1024 * 1024 * 3) / 4;

const readInputSchema = z.object({
  file_path: z
    .string()
    .max(MAX_PATH_CHARS)
    .describe('The absolute path to the file to read (a relative path is resolved against the working directory)'),
  offset: z
    .number()
    .int()
    .min(0)
    .optional()
    .describe('The line number to start reading from (1-based). Only provide if the file is too large to read at once'),
  limit: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe(`The number of lines to read (default ${DEFAULT_READ_LIMIT_LINES}). Only provide if the file is too large to read at once`),
});

/** Input of the Read tool, after validation. */
export type ReadInput = z.output<typeof readInputSchema>;

/** Options of {@link createReadTool}. */
export interface ReadToolOptions {
  /** Cap on the text output in characters. Default {@link DEFAULT_READ_MAX_OUTPUT_CHARS}. */
  maxOutputChars?: number;
  /** What `~` expands to. Default: the user's home directory. */
  homeDir?: string;
}

const DESCRIPTION = `Reads a file from the local filesystem, confined to the workspace.
- file_path should be an absolute path; a relative path is resolved against the working directory.
- By default reads up to ${DEFAULT_READ_LIMIT_LINES} lines from the start; use offset and limit for long files.
- Lines longer than ${MAX_READ_LINE_CHARS} characters are truncated.
- Output is numbered like cat -n: the line number, a tab, then the line.
- PNG, JPEG, GIF and WebP images are returned as images; other binary files are refused.
- Directories cannot be read: use LS.`;

/** Create the Read tool. */
export function createReadTool(options: ReadToolOptions = {}): LocalTool {
  const maxOutputChars = options.maxOutputChars ?? DEFAULT_READ_MAX_OUTPUT_CHARS;
  return defineTool({
    name: 'Read',
    description: DESCRIPTION,
    schema: readInputSchema,
    kind: 'read',
    async execute(input, ctx) {
      const ws = await createWorkspace(ctx.roots, { homeDir: options.homeDir });
      const realPath = await resolveInside(ws, input.file_path, { mustExist: true });
      // Noted before reading, so a change made during the read makes a later edit re-read.
      if ((await stat(realPath)).isFile()) await recordFileSeen(ctx.scope, realPath);
      return readResolvedFile({ input, realPath, maxOutputChars, signal: ctx.signal });
    },
  });
}

async function readResolvedFile(args: {
  input: ReadInput;
  realPath: string;
  maxOutputChars: number;
  signal: AbortSignal;
}): Promise<ToolResult> {
  const { input, realPath } = args;
  const info = await stat(realPath);
  if (info.isDirectory()) return textResult(`Read: ${input.file_path} is a directory, use LS to list it`, true);
  if (!info.isFile()) return textResult(`Read: ${input.file_path} is not a regular file (device, FIFO or socket)`, true);

  const head = await readHead(realPath);
  const kind = classifyFile(realPath, head);
  switch (kind.kind) {
    case 'image':
      return readImage(input.file_path, realPath, info.size, kind.mediaType);
    case 'fake-image':
      return textResult(`Read: ${input.file_path} has a ${kind.extension} name but is not a PNG, JPEG, GIF or WebP image`, true);
    case 'binary':
      return textResult(
        `Read: ${input.file_path} is a binary file (${kind.reason}); Read shows text files and PNG/JPEG/GIF/WebP images only`,
        true,
      );
    case 'text':
      break;
  }
  if (info.size === 0) return textResult(`(The file ${input.file_path} exists but is empty.)`);
  return readText(args);
}

async function readHead(realPath: string): Promise<Buffer> {
  const handle = await open(realPath, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

async function readImage(requested: string, realPath: string, size: number, mediaType: string): Promise<ToolResult> {
  if (size > MAX_IMAGE_BYTES) {
    const mib = (size / 1024 / 1024).toFixed(1);
    return textResult(`Read: ${requested} is an image of ${mib} MiB; images over ${MAX_IMAGE_BYTES / 1024 / 1024} MiB cannot be returned`, true);
  }
  const handle = await open(realPath, 'r');
  try {
    // Read only the size checked above, even if the file grew since.
    const buffer = Buffer.alloc(size);
    const { bytesRead } = await handle.read(buffer, 0, size, 0);
    const data = buffer.subarray(0, bytesRead).toString('base64');
    return { content: [{ type: 'image', source: { type: 'base64', media_type: mediaType, data } }] };
  } finally {
    await handle.close();
  }
}

async function readText(args: { input: ReadInput; realPath: string; maxOutputChars: number; signal: AbortSignal }): Promise<ToolResult> {
  const { input } = args;
  const startLine = Math.max(1, input.offset ?? 1);
  const window = await readLineWindow({
    filePath: args.realPath,
    startLine,
    maxLines: input.limit ?? DEFAULT_READ_LIMIT_LINES,
    maxLineChars: MAX_READ_LINE_CHARS,
    maxTotalChars: args.maxOutputChars,
    countLinesUpToBytes: COUNT_LINES_UP_TO_BYTES,
    signal: args.signal,
  });
  const first = window.lines[0];
  const last = window.lines.at(-1);
  if (first === undefined || last === undefined) {
    return textResult(`(The file ${input.file_path} has only ${window.totalLines ?? 0} lines; offset ${startLine} is past its end.)`);
  }
  const body = window.lines
    .map((line) => {
      const cut = line.truncatedFromBytes === undefined ? '' : `… [line truncated: ${line.truncatedFromBytes} bytes in full]`;
      return `${String(line.number).padStart(6)}\t${line.text}${cut}`;
    })
    .join('\n');
  if (!window.hasMoreAfter) return textResult(body);
  const of = window.totalLines === undefined ? 'more' : `${window.totalLines}`;
  const why = window.stoppedByCharLimit ? ` (output capped at ${args.maxOutputChars} characters)` : '';
  return textResult(
    `${body}\n\n(Showing lines ${first.number}-${last.number} of ${of}${why}. Use offset=${last.number + 1} to read more.)`,
  );
}
