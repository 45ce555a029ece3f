/**
 * Names of upstream tools as the model sees them: `mcp__<server>__<tool>`, Claude Code's scheme,
 * made valid for the Messages API.
 */

/** Longest tool name the Messages API accepts. */
export const MAX_MODEL_TOOL_NAME_CHARS = 64;

/** A server or tool name with every character the Messages API refuses in tool names replaced by `_`. */
export function normalizeNamePart(name: string): string {
  return name.replace(/[^A-Za-z0-9_-]/g, '_');
}

/** `mcp__<server>__<tool>`, normalized; undefined when longer than the API accepts. */
export function upstreamToolName(server: string, tool: string): string | undefined {
  const name = `mcp__${normalizeNamePart(server)}__${normalizeNamePart(tool)}`;
  return name.length <= MAX_MODEL_TOOL_NAME_CHARS ? name : undefined;
}
