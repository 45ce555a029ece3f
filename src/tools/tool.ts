/**
 * The Tool seam: everything a sub-agent may use (files, shell, upstream MCP tools, other agents)
 * is a Tool. The loop knows only this interface.
 */
import type { ChainLink } from './delegation/chain.js';
import type { DelegationNode } from './delegation/delegation-node.js';

import type { Authorize } from './permissions/permission.js';
import type { RunScope } from './run-scope.js';

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
  /** The delegation chain, outermost first, ending with this run; sent upstream in `_meta`. */
  chain?: readonly ChainLink[];
  /** Progress of a long tool call (e.g. an upstream MCP tool's notifications), relayed as progress of the run. */
  onProgress?: (progress: ToolProgress) => void;
  /**
   * Run another agent of the catalog as a nested run, with this run's chain, deadline and budget
   * applied. Absent when this run may not delegate. Resolves to the tool result for the model.
   */
  runNested?: (request: NestedRunRequest) => Promise<ToolResult>;
  /** Report a run made on this run's behalf elsewhere (an upstream agents-mcp), for the usage tree. */
  recordDelegation?: (node: DelegationNode) => void;
  /**
   * State that lives as long as the run (Bash's working directory and background shells, the todo
   * list, which files were read). The loop creates one per run and ends it when the run ends.
   * Tools that need it refuse to run without it.
   */
  scope?: RunScope;
  /**
   * Ask whether an action that changes something (an edit, a command) may go ahead. Supplied per
   * run from the permission mode and the calling client (which may ask its user). Absent means no
   * policy was set up: tools that change things then refuse, never assume.
   */
  authorize?: Authorize;
  /** Report something worth showing while the run is under way (the todo list). */
  notify?: (notice: ToolNotice) => void;
}

/** A tool's report to whoever watches the run (progress, transcript). */
export type ToolNotice = { type: 'todos'; runId: string; todos: TodoItem[] };

/** One entry of a run's todo list (TodoWrite's vocabulary). */
export interface TodoItem {
  content: string;
  status: 'pending' | 'in_progress' | 'completed';
  activeForm: string;
}

/** A progress report of a tool call, in MCP's progress vocabulary. */
export interface ToolProgress {
  progress: number;
  total?: number;
  message?: string;
}

/** What the Agent tool asks of {@link ToolContext.runNested}. */
export interface NestedRunRequest {
  /** The agent to run: its `name` (or tool name). */
  agent: string;
  /** The task, self-contained: the nested run sees nothing of the caller's conversation. */
  prompt: string;
  /** A short label of the task (3–5 words), for logs and progress. */
  description?: string;
  /** A model alias or id that overrides the agent's own `model`. */
  model?: string;
  /** Progress of the nested run (its turns), relayed as progress of the Agent tool call. */
  onProgress?: (progress: ToolProgress) => void;
  /** The calling tool's signal (the run's cancel and deadline), so the nested run ends with its parent. */
  signal?: AbortSignal;
}

/**
 * What a tool does, one word per kind (gemini-cli's `Kind`), so a mode decides by kind rather than
 * by a flag each tool reads its own way:
 * - `read`: changes nothing (files read, the web searched by the API, an upstream tool marked readOnlyHint);
 * - `note`: changes only the run's own state (TodoWrite's list), nothing outside the run;
 * - `edit`: changes files in the workspace;
 * - `execute`: runs or controls processes (Bash, and BashOutput and TaskStop, which follow it);
 * - `delegate`: starts another agent's run;
 * - `other`: anything else (an upstream tool that does not say it only reads).
 */
export type ToolKind = 'read' | 'note' | 'edit' | 'execute' | 'delegate' | 'other';

/** What every tool has: its name, description and input schema as the model reads them, and its kind. */
interface ToolHead {
  /** Name as the model sees it (Claude Code's names: Read, Grep, …, or mcp__server__tool). */
  name: string;
  description: string;
  inputSchema: JsonSchemaObject;
  /** What the tool does, as permission modes see it (permissions/permission-mode.ts: `plan` offers `read` and `note`). */
  kind: ToolKind;
}

/** A tool this process runs when the model calls it. */
export interface LocalTool extends ToolHead {
  /**
   * Run the tool. `input` is whatever the model sent: validate it and return an `isError`
   * result naming the problem rather than throwing. A throw is also caught and reported
   * to the model as an error, but loses the chance to say what to do.
   */
  run(input: unknown, ctx: ToolContext): Promise<ToolResult>;
  serverTool?: undefined;
}

/**
 * A tool the Messages API runs itself (web search, web fetch): the loop offers `serverTool` in the
 * request's `tools` instead of a client tool, and passes its blocks back untouched; there is
 * nothing to run here.
 */
export interface ApiTool extends ToolHead {
  serverTool: ServerToolDefinition;
  run?: undefined;
}

/** A tool a sub-agent can call: run here, or by the API. */
export type Tool = LocalTool | ApiTool;

/** A server tool as the Messages API takes it, e.g. `{ type: 'web_search_20250305', name: 'web_search' }`. */
export interface ServerToolDefinition {
  type: string;
  name: string;
  [key: string]: unknown;
}

/** Build a text result. */
export function textResult(text: string, isError = false): ToolResult {
  return isError ? { content: [{ type: 'text', text }], isError: true } : { content: [{ type: 'text', text }] };
}
