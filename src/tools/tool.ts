/**
 * The Tool seam: everything a sub-agent may use (files, shell, upstream MCP tools, other agents)
 * is a Tool. The loop knows only this interface.
 */

/** JSON Schema of a tool's input, as the Messages API takes it. */
export interface JsonSchemaObject {
  type: 'object';
  properties?: Record<string, unknown>;
  required?: string[];
  additionalProperties?: boolean;
  [key: string]: unknown;
}

/** One piece of a tool's result, in the Messages API's tool_result vocabulary. */
export type ToolResultPart =
  | { type: 'text'; text: string }
  | { type: 'image'; source: { type: 'base64'; media_type: string; data: string } };

/** What a tool returns. `isError` results go back to the model as `is_error: true`. */
export interface ToolResult {
  content: ToolResultPart[];
  isError?: boolean;
}

/** What a tool may know about the run that calls it. */
export interface ToolContext {
  /** Aborted when the run is cancelled or times out; tools must stop promptly. */
  signal: AbortSignal;
  /** Real, absolute paths the run may touch. The first one is the working directory. */
  roots: string[];
  /** The run's id, for logs and per-run state. */
  runId: string;
}

/** A tool a sub-agent can call. */
export interface Tool {
  /** Name as the model sees it (Claude Code's names: Read, Grep, …, or mcp__server__tool). */
  name: string;
  description: string;
  inputSchema: JsonSchemaObject;
  /** True when the tool only reads (used by permission modes such as `plan`). */
  readOnly: boolean;
  /**
   * Run the tool. `input` is whatever the model sent: validate it and return an `isError`
   * result naming the problem rather than throwing. A throw is also caught and reported
   * to the model as an error, but loses the chance to say what to do.
   */
  run(input: unknown, ctx: ToolContext): Promise<ToolResult>;
}

/** Build a text result. */
export function textResult(text: string, isError = false): ToolResult {
  return isError ? { content: [{ type: 'text', text }], isError: true } : { content: [{ type: 'text', text }] };
}
