/**
 * The agentic loop: model turn → tool calls → tool results → … until the model ends its turn
 * or a limit is hit. It sees only the ModelClient and Tool seams; it never throws for a
 * failure of the model or a tool — those end in a RunResult with a stop reason.
 */
import { randomUUID } from 'node:crypto';
import type { Tool } from '../tools/tool.js';
import { executeToolCall } from './execute-tool-call.js';
import {
  ModelError,
  type ContentBlock,
  type ModelClient,
  type ModelMessage,
  type ModelResponse,
  type TextBlock,
  type ToolUseBlock,
} from './model.js';
import { addUsage, costUsd, emptyUsage, type Usage } from './usage.js';

/** Why a run ended. Model stop reasons pass through; the rest are the loop's own. */
export type RunStopReason = 'end_turn' | 'stop_sequence' | 'refusal' | 'max_turns' | 'cancelled' | 'error' | 'other';

/** Something worth telling the caller while a run is under way. */
export type RunEvent =
  | { type: 'turn_start'; turn: number }
  | { type: 'text'; text: string }
  | { type: 'tool_start'; name: string; input: unknown }
  | { type: 'tool_end'; name: string; isError: boolean };

export interface RunOptions {
  /** The agent's name, for the result. */
  agentName: string;
  /** The full system prompt. */
  system: string;
  /** The task. */
  prompt: string;
  /** The resolved model id. */
  model: string;
  client: ModelClient;
  /** Exactly the tools this run may use; anything else the model asks for is refused. */
  tools: Tool[];
  /** Directories the tools may touch; the first is the working directory. */
  roots: string[];
  maxTurns: number;
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
}

export interface RunError {
  kind: string;
  message: string;
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
  costUsd: number;
  durationMs: number;
  warnings: string[];
  error?: RunError;
}

/** Text of an assistant message's text blocks, joined. */
function textOf(content: ContentBlock[]): string {
  return content
    .filter((b): b is TextBlock => b.type === 'text' && typeof (b as TextBlock).text === 'string')
    .map((b) => b.text)
    .join('');
}

function toolUsesOf(content: ContentBlock[]): ToolUseBlock[] {
  return content.filter((b): b is ToolUseBlock => b.type === 'tool_use');
}

const CONTINUE_AFTER_MAX_TOKENS =
  'Your previous response was cut off at the output-token limit. Continue exactly where you stopped, without repeating anything.';

/** Run one sub-conversation to its end. Never throws for model or tool failures. */
export async function runAgent(opts: RunOptions): Promise<RunResult> {
  const now = opts.now ?? Date.now;
  const started = now();
  const runId = opts.runId ?? randomUUID();
  const toolsByName = new Map(opts.tools.map((t) => [t.name, t]));
  const toolSpecs = opts.tools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema }));
  const messages: ModelMessage[] = [{ role: 'user', content: [{ type: 'text', text: opts.prompt }] }];
  let usage = emptyUsage();
  let turns = 0;
  let answer = '';
  let model = opts.model;

  const finish = (stopReason: RunStopReason, extra: Partial<RunResult> = {}): RunResult => ({
    answer,
    runId,
    agent: opts.agentName,
    model,
    backend: opts.client.backend,
    stopReason,
    turns,
    usage,
    costUsd: costUsd(model, usage),
    durationMs: now() - started,
    warnings: opts.warnings ?? [],
    ...extra,
  });

  // `pending` accumulates the text of a response split over max_tokens continuations.
  let pending = '';
  for (;;) {
    if (opts.signal.aborted) return finish('cancelled');
    if (turns >= opts.maxTurns) return finish('max_turns');
    turns++;
    opts.onEvent?.({ type: 'turn_start', turn: turns });

    let response: ModelResponse;
    try {
      response = await opts.client.turn(
        { model: opts.model, system: opts.system, messages, tools: toolSpecs, maxTokens: opts.maxTokens },
        { signal: opts.signal, onEvent: (e) => e.type === 'text' && opts.onEvent?.({ type: 'text', text: e.text }) },
      );
    } catch (err) {
      if (opts.signal.aborted) return finish('cancelled');
      const error = err instanceof ModelError ? err : new ModelError('server', err instanceof Error ? err.message : String(err), { cause: err });
      return finish(error.kind === 'cancelled' ? 'cancelled' : 'error', {
        error: { kind: error.kind, message: error.message, advice: error.advice },
      });
    }
    usage = addUsage(usage, response.usage);
    model = response.model || model;
    const text = textOf(response.content);
    if (text) answer = pending + text;

    switch (response.stopReason) {
      case 'tool_use': {
        // `tool_use` without a tool_use block leaves nothing to answer, and an empty user turn
        // would be refused by the API: take what the model wrote as its final answer.
        if (toolUsesOf(response.content).length === 0) return finish('end_turn');
        pending = '';
        messages.push({ role: 'assistant', content: response.content });
        const calls = toolUsesOf(response.content);
        const ctx = { signal: opts.signal, roots: opts.roots, runId };
        // Independent calls of one turn run concurrently, as the API intends.
        const results = await Promise.all(
          calls.map(async (call) => {
            opts.onEvent?.({ type: 'tool_start', name: call.name, input: call.input });
            const result = await executeToolCall({ call, tools: toolsByName, ctx });
            opts.onEvent?.({ type: 'tool_end', name: call.name, isError: result.is_error === true });
            return result;
          }),
        );
        if (opts.signal.aborted) return finish('cancelled');
        messages.push({ role: 'user', content: results });
        break;
      }
      case 'max_tokens': {
        // Keep only the text: a tool_use cut off mid-input cannot be run.
        pending = answer;
        messages.push({ role: 'assistant', content: [{ type: 'text', text: text || '(no text)' }] });
        messages.push({ role: 'user', content: [{ type: 'text', text: CONTINUE_AFTER_MAX_TOKENS }] });
        break;
      }
      case 'pause_turn':
        // A server tool (web search/fetch) paused a long turn: send it back to let it go on.
        messages.push({ role: 'assistant', content: response.content });
        break;
      case 'end_turn':
      case 'stop_sequence':
      case 'refusal':
        return finish(response.stopReason);
      case 'other':
        return finish('other', response.rawStopReason ? { rawStopReason: response.rawStopReason } : {});
    }
  }
}
