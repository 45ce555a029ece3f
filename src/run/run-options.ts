/**
 * What a run of the loop is given (RunOptions) and what it tells its caller on the way (RunEvent).
 */
import type { Effort } from '../agents/effort.js';
import type { Authorize } from '../tools/permissions/permission.js';
import type { Tool, ToolContext, ToolNotice } from '../tools/tool.js';
import type { Redactor } from '../redact.js';
import type { Checkpoints } from './checkpoint.js';
import type { ModelClient, ModelMessage, RequestPrefix } from './model.js';
import type { PriceTable } from './prices.js';
import type { RunBudget } from './run-budget.js';

/** Something worth telling the caller while a run is under way. */
export type RunEvent =
  | { type: 'turn_start'; turn: number }
  | { type: 'text'; text: string }
  /** `workspace`: the run's working directory, so that summaries can show paths relative to it. */
  | { type: 'tool_start'; name: string; input: unknown; workspace?: string }
  | { type: 'tool_end'; name: string; isError: boolean }
  | { type: 'tool_progress'; name: string; progress: number; total?: number; message?: string }
  /** A tool's report, e.g. TodoWrite's current list (`{ type: 'todos', runId, todos }`). */
  | ToolNotice;

export interface RunOptions {
  /** The agent's name, for the result. */
  agentName: string;
  /** The full system prompt. */
  system: string;
  /** The task. */
  prompt: string;
  /** The resolved model id. */
  model: string;
  /** The agent's `model:` as written, passed to the client for hint-based backends (sampling). */
  requestedModel?: string;
  client: ModelClient;
  /** Exactly the tools this run may use; anything else the model asks for is refused. */
  tools: Tool[];
  /**
   * Masks the server's secrets in what enters the conversation (the prompt, resumed history, tool
   * results), so no model request carries one. Default: nothing masked.
   */
  redactor?: Redactor;
  /** Tools the agent lists that the permission mode withholds, with the refusal a call gets (plan mode). */
  withheldTools?: ReadonlyMap<string, string>;
  /** Directories the tools may touch; the first is the working directory. */
  roots: string[];
  /** Output-token cap per model turn. */
  maxTokens: number;
  signal: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /** Non-fatal notes to carry into the result (unknown tool names, …). */
  warnings?: string[];
  /** Injected for tests; defaults to randomUUID. */
  runId?: string;
  /** Injected for tests; defaults to Date.now. */
  now?: () => number;
  /** What tools get beyond signal, roots and run id: the delegation chain, runNested, … */
  toolContext?: Pick<ToolContext, 'chain' | 'runNested' | 'recordDelegation'>;
  /**
   * The run's limits (turns, wall clock, dollars) and the budget it shares with enclosing and
   * nested runs: told this run's cost, checked between turns. The loop reads caps only here.
   */
  budget: RunBudget;
  /** An earlier conversation to continue: `prompt` becomes its next user input (resume). */
  history?: ModelMessage[];
  /**
   * The system prompt and tools to send instead of `system` and the tools' own specs: a resumed
   * run's stored prefix, which its signed thinking blocks are bound to. `tools` still decides
   * what may run; a call of a tool the prefix offers but `tools` lacks is refused.
   */
  prefix?: RequestPrefix;
  /** The agent's `effort:`; absent = the model's default. */
  effort?: Effort;
  /** Prices for `costUsd`; default the built-in table. */
  prices?: PriceTable;
  /** Decides on edits and commands (see tools/permissions/permission-gate.ts); absent = tools refuse changes. */
  authorize?: Authorize;
  /** A durable run (2026 runs a replica may hand over): where its checkpoints go and the one it carries on from. */
  checkpoints?: Checkpoints;
}

