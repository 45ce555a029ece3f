/** Reading one agent file from disk, with the limits that keep one bad file harmless. */

import { statSync } from 'node:fs';
import { createFileBodyLoader, withLazyBody } from './agent-body.js';
import type { LoadResult } from './definition.js';
import { parseAgentHead, type HeadResult } from './parse-agent.js';
import type { ParseCache } from './parse-cache.js';
import { readVersion } from './read-version.js';

/** Files larger than this are not agents (the largest real ones are a few dozen KiB). */
export const MAX_AGENT_FILE_BYTES = 1024 * 1024;

/** Options for {@link loadAgentFile}. */
export interface LoadAgentFileOptions {
  /** Size cap in bytes; default {@link MAX_AGENT_FILE_BYTES}. */
  maxBytes?: number;
  /** Parsed heads by file version: a hit is not read at all. Default: none. */
  cache?: ParseCache;
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
 * NUL byte (binary); otherwise its head is parsed by {@link parseAgentHead} (or taken from
 * `cache` for the same file version) and its body (prompt, source) is read on first use. Never
 * throws: any failure, including a bug in the parser, becomes a skipped result naming the file.
 */
export async function loadAgentFile(file: string, options: LoadAgentFileOptions = {}): Promise<LoadResult> {
  const maxBytes = options.maxBytes ?? MAX_AGENT_FILE_BYTES;
  const skip = (reason: string): LoadResult => ({ kind: 'skipped', file, reason, broken: true });
  try {
    // Synchronous on purpose: an agent file is small and local, and Node's async fs costs 5-10×
    // the CPU per small file (thread-pool round trips, FileHandle objects); at 3,000 files that
    // was most of start-up. The stat comes first, so a FIFO or device is never opened.
    const info = statSync(file);
    if (!info.isFile()) return skip('not a regular file');
    if (info.size > maxBytes) return skip(`file is ${info.size} bytes, over the ${maxBytes}-byte limit for agent files`);
    let head: HeadResult | undefined = options.cache?.get(file, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino });
    if (head === undefined) {
      const { bytes, stamp } = readVersion(file, maxBytes);
      // The file may have grown between stat and read.
      if (bytes.length > maxBytes) return skip(`file is over the ${maxBytes}-byte limit for agent files`);
      if (bytes.includes(0)) return skip('binary file (contains NUL bytes), not Markdown');
      head = parseAgentHead(file, bytes.toString('utf8'));
      options.cache?.set(file, stamp, head);
    }
    if (head.kind === 'skipped') return head;
    return { kind: 'agent', agent: withLazyBody(head.head, createFileBodyLoader(file, maxBytes)) };
  } catch (error) {
    return skip(`could not be loaded: ${errorText(error)}`);
  }
}
