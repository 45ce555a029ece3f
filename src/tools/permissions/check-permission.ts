/**
 * The one check a changing tool makes before it acts (see permission.ts for the seam's types).
 */
import type { ToolContext, ToolResult } from '../tool.js';
import { textResult } from '../tool.js';
import type { PermissionRequest } from './permission.js';

/**
 * Ask `ctx.authorize` about `request`; `undefined` when allowed, else the `isError` result to return.
 * Without an `authorize` in the context the answer is no: a change is never assumed allowed.
 */
export async function checkPermission(ctx: ToolContext, request: PermissionRequest): Promise<ToolResult | undefined> {
  if (ctx.authorize === undefined) {
    return textResult(`${request.tool}: refused, this run has no permission policy (ToolContext.authorize is missing)`, true);
  }
  const verdict = await ctx.authorize(request);
  return verdict.allowed ? undefined : textResult(verdict.message, true);
}
