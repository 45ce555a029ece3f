/**
 * Bounding tool output and turning failures into `isError` results.
 */
import type { ToolResult } from './tool.js';
import { textResult } from './tool.js';
import { WorkspacePathError } from './files/workspace.js';

/** Default cap on one tool result's text, in characters. */
export const DEFAULT_MAX_OUTPUT_CHARS = 30_000;

/**
 * Cut `text` to at most `maxChars` characters (plus a note), preferring a line boundary.
 * Text within the cap is returned unchanged.
 */
export function truncateOutput(text: string, maxChars: number = DEFAULT_MAX_OUTPUT_CHARS): string {
  if (text.length <= maxChars) return text;
  const lastNewline = text.lastIndexOf('\n', maxChars);
  // Cut at a line end unless that would throw away most of the allowance (one giant line).
  const cut = lastNewline > maxChars / 2 ? lastNewline : maxChars;
  return `${text.slice(0, cut)}\n…output truncated (${text.length - cut} more characters)`;
}

/** True for the error an aborted operation rejects with. */
export function isAbortError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'AbortError' || ('code' in err && err.code === 'ABORT_ERR'));
}

/** Throw an `AbortError` when `signal` is aborted; call between units of work. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) {
    const err = new Error('the operation was cancelled');
    err.name = 'AbortError';
    throw err;
  }
}

/**
 * The `isError` result for an exception caught in a tool's run, prefixed with the tool name.
 * Workspace errors keep their (model-facing) message; cancellation becomes "cancelled".
 */
export function errorResultFromException(toolName: string, err: unknown, signal: AbortSignal): ToolResult {
  if (signal.aborted || isAbortError(err)) return textResult(`${toolName}: cancelled`, true);
  if (err instanceof WorkspacePathError) return textResult(`${toolName}: ${err.message}`, true);
  const message = err instanceof Error ? err.message : String(err);
  return textResult(`${toolName}: ${message}`, true);
}
