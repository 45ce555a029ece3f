/** Reading one version of a small file: its bytes and the stamp that goes with them. */

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** What identifies one version of a file without reading it (the parse cache's key too). */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  ino: number;
}

/** True when both stamps describe the same version of a file. */
export function isSameStamp(a: FileStamp, b: FileStamp): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ino === b.ino;
}

/**
 * Up to `limit + 1` bytes of `file` (so a caller can tell it is over the limit) and the stamp
 * of the version read, taken from the same descriptor: the stamp never describes other bytes
 * than those read, short of a write racing the read itself.
 */
export function readVersion(file: string, limit: number): { bytes: Buffer; stamp: FileStamp } {
  const fd = openSync(file, 'r');
  try {
    const info = fstatSync(fd);
    const bytes = Buffer.alloc(Math.min(info.size, limit) + 1);
    let filled = 0;
    while (filled < bytes.length) {
      const n = readSync(fd, bytes, filled, bytes.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    return { bytes: bytes.subarray(0, filled), stamp: { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino } };
  } finally {
    closeSync(fd);
  }
}
