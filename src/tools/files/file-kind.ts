/**
 * Telling text, images and other binaries apart from a file's name and first bytes.
 */
import path from 'node:path';

/** Image media types the Messages API accepts. */
export type ImageMediaType = 'image/png' | 'image/jpeg' | 'image/gif' | 'image/webp';

/** How many leading bytes {@link classifyFile} looks at. */
export const SNIFF_BYTES = 8192;

/** What a file is, for Read. */
export type FileKind =
  | { kind: 'image'; mediaType: ImageMediaType }
  /** Named like an image but its bytes are not one (sending it would make the API reject the request). */
  | { kind: 'fake-image'; extension: string }
  | { kind: 'binary'; reason: string }
  | { kind: 'text' };

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp']);

/** Extensions whose files are binary even when their first 8 KiB hold no NUL byte. */
const BINARY_EXTENSIONS = new Set([
  '.pdf', '.zip', '.gz', '.tgz', '.bz2', '.xz', '.zst', '.7z', '.rar', '.tar', '.jar', '.war',
  '.exe', '.dll', '.so', '.dylib', '.o', '.a', '.lib', '.obj', '.class', '.pyc', '.pyo', '.wasm', '.node',
  '.bmp', '.ico', '.tif', '.tiff', '.psd', '.heic', '.avif',
  '.mp3', '.wav', '.flac', '.ogg', '.m4a', '.mp4', '.mov', '.avi', '.mkv', '.webm',
  '.woff', '.woff2', '.ttf', '.otf', '.eot', '.sqlite', '.db', '.bin', '.dat',
]);

/** The image type that `head` starts with, by magic number, if any. */
export function detectImageType(head: Uint8Array): ImageMediaType | undefined {
  const starts = (bytes: number[], at = 0): boolean => bytes.every((b, i) => head[at + i] === b);
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x47, 0x49, 0x46, 0x38]) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61) return 'image/gif';
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return undefined;
}

/** Classify a file from its name and its first {@link SNIFF_BYTES} bytes. */
export function classifyFile(filePath: string, head: Uint8Array): FileKind {
  const extension = path.extname(filePath).toLowerCase();
  const image = detectImageType(head);
  if (image !== undefined) return { kind: 'image', mediaType: image };
  if (IMAGE_EXTENSIONS.has(extension) && head.length > 0) return { kind: 'fake-image', extension };
  if (BINARY_EXTENSIONS.has(extension)) return { kind: 'binary', reason: `${extension} files are binary` };
  if (head.includes(0)) return { kind: 'binary', reason: 'it contains NUL bytes' };
  return { kind: 'text' };
}
