/**
 * How a call ended, for every front end: the RunResult, its typed error, and the results of calls
 * in which no run happened (refused by a guard, no backend, no workspace, cancelled in line, a bug),
 * built here so that each says the same things the same way.
 */
import type { DelegationNode } from '../tools/delegation/delegation-node.js';
import type { ModelErrorKind, ModelMessage, RefusalDetails, RequestPrefix } from './model.js';
import { emptyUsage, type Usage } from './usage.js';

/** Why a run ended. Model stop reasons pass through; the rest are the loop's own. */
export type RunStopReason =
  | 'end_turn'
  | 'stop_sequence'
  | 'refusal'
  | 'model_context_window_exceeded'
  | 'max_turns'
  | 'max_duration'
  | 'max_cost'
  | 'cancelled'
  | 'error'
  | 'other';

/** What went wrong, by whom: the model backend's kinds, the delegation guard's, access, budget, the run store, or a bug of ours. */
export type RunErrorKind = ModelErrorKind | 'depth_limit' | 'cycle' | 'budget_spent' | 'no_workspace' | 'unknown_price' | 'store_unavailable' | 'internal';

export interface RunError {
  kind: RunErrorKind;
  message: string;
  /** What the caller can do about it. */
  advice: string;
}

export interface RunResult {
  answer: string;
  runId: string;
  agent: string;
  model: string;
  backend: string;
  stopReason: RunStopReason;
  /** The model's own stop reason when it was one we do not know. */
  rawStopReason?: string;
  turns: number;
  usage: Usage;
  /** USD spent, or null when a model of the run has no known price (a warning says so). */
  costUsd: number | null;
  durationMs: number;
  warnings: string[];
  error?: RunError;
  /** Why the model refused, when it ended the run with `refusal` and said why. */
  refusal?: RefusalDetails;
  /** The system prompt and tools the run sent (stored with the run, so a resume sends them again). */
  prefix?: RequestPrefix;
  /** Runs made on this run's behalf (Agent tool, upstream agents-mcp), each with its own usage. */
  delegations?: DelegationNode[];
  /** The whole conversation, for transcripts and resume (absent when no run took place). */
  messages?: ModelMessage[];
}

/** The fields of a finished run worth a log line or an MCP log notification. */
export function summarizeRun(result: RunResult): Record<string, unknown> {
  return {
    model: result.model,
    turns: result.turns,
    usage: result.usage,
    cost_usd: result.costUsd,
    stop_reason: result.stopReason,
    duration_ms: result.durationMs,
    ...(result.error ? { error_kind: result.error.kind } : {}),
  };
}

/** What a call in which no run happened still reports: who, which model, and why. */
export interface NoRun {
  runId: string;
  agent: string;
  model: string;
  /** Default `none`: no backend was reached. */
  backend?: string;
  /** Default `error` when there is an error, else `cancelled`. */
  stopReason?: RunStopReason;
  error?: RunError;
  warnings?: string[];
  durationMs?: number;
  /** The conversation the call would have continued (resume), kept for the record. */
  messages?: ModelMessage[];
}

/** The result of a call in which no model turn ran. */
export function noRunResult(options: NoRun): RunResult {
  return {
    answer: '',
    runId: options.runId,
    agent: options.agent,
    model: options.model,
    backend: options.backend ?? 'none',
    stopReason: options.stopReason ?? (options.error ? 'error' : 'cancelled'),
    turns: 0,
    usage: emptyUsage(),
    costUsd: 0,
    durationMs: options.durationMs ?? 0,
    warnings: options.warnings ?? [],
    ...(options.error ? { error: options.error } : {}),
    delegations: [],
    ...(options.messages ? { messages: options.messages } : {}),
  };
}

/** A bug of ours, as a result: the run must not stay `running` forever, nor take the server down. */
export function internalErrorResult(options: Omit<NoRun, 'error' | 'stopReason'>, cause: unknown): RunResult {
  const message = cause instanceof Error ? cause.message : String(cause);
  return noRunResult({ ...options, error: { kind: 'internal', message: `The run failed unexpectedly: ${message}`, advice: 'This is a bug in agents-mcp; the server log has the details.' } });
}
