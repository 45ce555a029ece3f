/**
 * The agentic loop: model turn → tool calls → tool results → … until the model ends its turn
 * or a limit is hit. It sees only the ModelClient and Tool seams; it never throws for a
 * failure of the model or a tool — those end in a RunResult with a stop reason.
 */
import { randomUUID } from 'node:crypto';
import type { Effort } from '../agents/effort.js';
import type { DelegationNode } from '../tools/delegation/delegation-node.js';
import { startDeadline, type Deadline } from './deadline.js';
import type { Authorize } from '../tools/permissions/permission.js';
import { createRunScope, type RunScope } from '../tools/run-scope.js';
import type { Tool, ToolContext, ToolNotice } from '../tools/tool.js';
import { NO_REDACTION, type Redactor } from '../redact.js';
import { executeToolCall } from './execute-tool-call.js';
import {
  ModelError,
  type ContentBlock,
  type ModelClient,
  type ModelMessage,
  type ModelResponse,
  type RefusalDetails,
  type RequestPrefix,
  type TextBlock,
  type ToolResultBlock,
  type ToolUseBlock,
} from './model.js';
import { BUILTIN_PRICES, costOfRequest, unknownPriceWarning, type PriceTable } from './prices.js';
import { continueConversation } from './resume.js';
import type { RunBudget } from './run-budget.js';
import { findLimitReached } from './stop-conditions.js';
import { addUsage, emptyUsage, type Usage } from './usage.js';
import type { RunError, RunResult, RunStopReason } from './result.js';

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

const CUT_OFF_TOOL_CALL = 'Not run: this tool call was cut off at the output-token limit. Make it again if it is still needed.';

/**
 * The assistant turn as it came (thinking blocks must go back exactly), minus thinking blocks
 * that never got their signature because the limit cut them short: the API cannot verify those.
 */
function keptAfterMaxTokens(content: ContentBlock[]): ContentBlock[] {
  const kept = content.filter((b) => b.type !== 'thinking' || (typeof b['signature'] === 'string' && b['signature'] !== ''));
  return kept.length > 0 ? kept : [{ type: 'text', text: '(no text)' }];
}

/**
 * Run one sub-conversation to its end. Never throws for model or tool failures. Limits
 * (turns, wall clock, dollars) end the run with their stop reason and the answer so far. The
 * run's tool scope (background shells, todo list, …) is ended when the run ends, however it ends.
 */
export async function runLoop(opts: RunOptions): Promise<RunResult> {
  const deadline = startDeadline(opts.signal, opts.budget.limits.maxDurationMs);
  const scope = createRunScope();
  try {
    return await runTurns({ ...opts, signal: deadline.signal }, deadline, scope);
  } finally {
    deadline.clear();
    await scope.end();
  }
}

async function runTurns(opts: RunOptions, deadline: Deadline, scope: RunScope): Promise<RunResult> {
  const now = opts.now ?? Date.now;
  const started = now();
  const runId = opts.runId ?? randomUUID();
  const warnings = [...(opts.warnings ?? [])];
  // Server tools (web search/fetch) run on the API's side: offered by definition, never called here.
  const clientTools = opts.tools.filter((t) => t.serverTool === undefined);
  const toolsByName = new Map(clientTools.map((t) => [t.name, t]));
  const prefix: RequestPrefix = opts.prefix ?? {
    system: opts.system,
    tools: clientTools.map((t) => ({ name: t.name, description: t.description, input_schema: t.inputSchema })),
    serverTools: opts.tools.flatMap((t) => (t.serverTool === undefined ? [] : [t.serverTool])),
  };
  let serverTools = prefix.serverTools;
  if (serverTools.length > 0 && opts.client.runsServerTools !== true) {
    const names = opts.tools.filter((t) => t.serverTool !== undefined).map((t) => t.name);
    warnings.push(`${names.join(' and ')} run${names.length === 1 ? 's' : ''} on the Anthropic API's side and cannot run on the ${opts.client.backend} backend; this run goes without ${names.length === 1 ? 'it' : 'them'}. Set ANTHROPIC_API_KEY and use --model-backend anthropic to give the agent web access.`);
    serverTools = [];
  }
  const prices = opts.prices ?? BUILTIN_PRICES;
  const redactor = opts.redactor ?? NO_REDACTION;
  const prompt = redactor.text(opts.prompt);
  const messages: ModelMessage[] = opts.history
    ? continueConversation(redactor.deep(opts.history), prompt)
    : [{ role: 'user', content: [{ type: 'text', text: prompt }] }];
  let usage = emptyUsage();
  let cost: number | null = 0;
  let turns = 0;
  let answer = '';
  let model = opts.model;
  let refusal: RefusalDetails | undefined;
  /** Add one request's usage and cost (priced on its own: long-context bands are per request). */
  const spend = (turnUsage: Usage, turnModel: string): void => {
    usage = addUsage(usage, turnUsage);
    const turnCost = costOfRequest(prices, turnModel, turnUsage);
    if (turnCost === null && cost !== null) warnings.push(unknownPriceWarning(turnModel));
    cost = cost === null || turnCost === null ? null : cost + turnCost;
  };

  const finish = (stopReason: RunStopReason, extra: Partial<RunResult> = {}): RunResult => ({
    answer,
    runId,
    agent: opts.agentName,
    model,
    backend: opts.client.backend,
    // An abort by the wall-clock limit is not the caller's cancel.
    stopReason: stopReason === 'cancelled' && deadline.expired() ? 'max_duration' : stopReason,
    turns,
    usage,
    costUsd: cost,
    durationMs: now() - started,
    warnings,
    messages,
    prefix,
    ...(refusal ? { refusal } : {}),
    ...extra,
  });

  // `pending` accumulates the text of a response split over max_tokens continuations.
  let pending = '';
  for (;;) {
    if (opts.signal.aborted) return finish('cancelled');
    const limit = findLimitReached({ turns, elapsedMs: now() - started, costUsd: cost ?? 0, budgetSpent: opts.budget.exhausted() }, opts.budget.limits);
    if (limit) return finish(limit);
    turns++;
    opts.onEvent?.({ type: 'turn_start', turn: turns });

    let response: ModelResponse;
    // Text streamed so far in this turn: the best partial answer if the turn is cut off.
    let streamed = '';
    try {
      response = await opts.client.turn(
        {
          model: opts.model,
          system: prefix.system,
          messages,
          tools: prefix.tools,
          maxTokens: opts.maxTokens,
          requestedModel: opts.requestedModel,
          ...(serverTools.length > 0 ? { serverTools } : {}),
          ...(opts.effort ? { effort: opts.effort } : {}),
        },
        {
          signal: opts.signal,
          onEvent: (e) => {
            if (e.type === 'restart') streamed = '';
            if (e.type !== 'text') return;
            streamed += e.text;
            opts.onEvent?.({ type: 'text', text: e.text });
          },
        },
      );
    } catch (err) {
      // Tokens of a cut-off turn are billed too.
      if (err instanceof ModelError && err.usage) spend(err.usage, model);
      opts.budget.record({ turns, costUsd: cost ?? 0 });
      if (opts.signal.aborted) {
        if (streamed) answer = pending + streamed;
        return finish('cancelled');
      }
      const error = err instanceof ModelError ? err : new ModelError('server', err instanceof Error ? err.message : String(err), { cause: err });
      return finish(error.kind === 'cancelled' ? 'cancelled' : 'error', {
        error: { kind: error.kind, message: error.message, advice: error.advice },
      });
    }
    model = response.model || model;
    spend(response.usage, model);
    // Before the tool calls, so nested runs started by them see what this turn cost.
    opts.budget.record({ turns, costUsd: cost ?? 0 });
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
        const ctx: ToolContext = {
          ...opts.toolContext,
          signal: opts.signal,
          roots: opts.roots,
          runId,
          scope,
          notify: (notice) => opts.onEvent?.(notice),
          ...(opts.authorize ? { authorize: opts.authorize } : {}),
        };
        // Independent calls of one turn run concurrently, as the API intends.
        const results = await Promise.all(
          calls.map(async (call) => {
            opts.onEvent?.({ type: 'tool_start', name: call.name, input: call.input, workspace: opts.roots[0] });
            const onProgress: ToolContext['onProgress'] = (p) => opts.onEvent?.({ type: 'tool_progress', name: call.name, ...p });
            // Masked before the model (and the transcript) sees it: a tool may have read a secret.
            const result = redactor.deep(await executeToolCall({ call, tools: toolsByName, ...(opts.withheldTools ? { withheld: opts.withheldTools } : {}), ctx: { ...ctx, onProgress } }));
            opts.onEvent?.({ type: 'tool_end', name: call.name, isError: result.is_error === true });
            return result;
          }),
        );
        // Keep the results even when cancelled, so the history stays valid for resume.
        messages.push({ role: 'user', content: results });
        if (opts.signal.aborted) return finish('cancelled');
        break;
      }
      case 'max_tokens': {
        // The turn goes back as it came; a tool call cut off mid-input is answered, not run.
        pending = answer;
        const kept = keptAfterMaxTokens(response.content);
        const cutCalls: ToolResultBlock[] = toolUsesOf(kept).map((call) => ({ type: 'tool_result', tool_use_id: call.id, content: [{ type: 'text', text: CUT_OFF_TOOL_CALL }], is_error: true }));
        messages.push({ role: 'assistant', content: kept });
        messages.push({ role: 'user', content: [...cutCalls, { type: 'text', text: CONTINUE_AFTER_MAX_TOKENS }] });
        break;
      }
      case 'pause_turn':
        // A server tool (web search/fetch) paused a long turn: send it back to let it go on. The
        // continuation carries on the same assistant turn, so its text joins this part's.
        pending += text;
        messages.push({ role: 'assistant', content: response.content });
        break;
      case 'refusal':
        refusal = response.refusal;
        messages.push({ role: 'assistant', content: response.content });
        return finish('refusal');
      case 'end_turn':
      case 'stop_sequence':
      case 'model_context_window_exceeded':
        messages.push({ role: 'assistant', content: response.content });
        return finish(response.stopReason);
      case 'other':
        messages.push({ role: 'assistant', content: response.content });
        return finish('other', response.rawStopReason ? { rawStopReason: response.rawStopReason } : {});
    }
  }
}
