/** Reading one agent file from disk, with the limits that keep one bad file harmless. */

import { readFileSync, statSync } from 'node:fs';
import type { LoadResult } from './definition.js';
import { parseAgentText } from './parse-agent.js';

/** Files larger than this are not agents (the largest real ones are a few dozen KiB). */
export const MAX_AGENT_FILE_BYTES = 1024 * 1024;

/** Options for {@link loadAgentFile}. */
export interface LoadAgentFileOptions {
  /** Size cap in bytes; default {@link MAX_AGENT_FILE_BYTES}. */
  maxBytes?: number;
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = 'code' in error && typeof error.code === 'string' ? `${error.code}: ` : '';
    return `${code}${error.message}`;
  }
  return String(error);
}

/**
 * Load one file: skipped as broken when it cannot be read, is larger than the cap, or holds a
 * NUL byte (binary); otherwise parsed by {@link parseAgentText}. Never throws: any failure,
 * including a bug in the parser, becomes a skipped result naming the file.
 */
export async function loadAgentFile(file: string, options: LoadAgentFileOptions = {}): Promise<LoadResult> {
  const maxBytes = options.maxBytes ?? MAX_AGENT_FILE_BYTES;
  const skip = (reason: string): LoadResult => ({ kind: 'skipped', file, reason, broken: true });
  try {
    // Synchronous on purpose: an agent file is small and local, and Node's async fs costs 5-10×
    // the CPU per small file (thread-pool round trips, FileHandle objects); at 3,000 files that
    // was most of start-up. The stat comes first, so a FIFO or device is never read.
    const info = statSync(file);
    if (!info.isFile()) return skip('not a regular file');
    if (info.size > maxBytes) return skip(`file is ${info.size} bytes, over the ${maxBytes}-byte limit for agent files`);
    const bytes = readFileSync(file);
    // The file may have grown between stat and read.
    if (bytes.length > maxBytes) return skip(`file is over the ${maxBytes}-byte limit for agent files`);
    if (bytes.includes(0)) return skip('binary file (contains NUL bytes), not Markdown');
    return parseAgentText(file, bytes.toString('utf8'));
  } catch (error) {
    return skip(`could not be loaded: ${errorText(error)}`);
  }
}
