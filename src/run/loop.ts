/**
 * The agentic loop: model turn → tool calls → tool results → … until the model ends its turn
 * or a limit is hit. It sees only the ModelClient and Tool seams; it never throws for a
 * failure of the model or a tool — those end in a RunResult with a stop reason.
 */
import { randomUUID } from 'node:crypto';
import { startDeadline, type Deadline } from './deadline.js';
import { createRunScope, type RunScope } from '../tools/run-scope.js';
import type { TodoItem, ToolContext } from '../tools/tool.js';
import { NO_REDACTION } from '../redact.js';
import { executeToolCall } from './execute-tool-call.js';
import { ModelError, type ModelMessage, type ModelResponse, type RefusalDetails, type RequestPrefix, type ToolResultBlock } from './model.js';
import { BUILTIN_PRICES, costOfRequest, unknownPriceWarning } from './prices.js';
import { continueConversation } from './resume.js';
import { messagesToContinue } from './checkpoint.js';
import { TODO_LIST } from '../tools/todo/todo-write.js';
import { findLimitReached } from './stop-conditions.js';
import { addUsage, emptyUsage, type Usage } from './usage.js';
import type { RunResult, RunStopReason } from './result.js';
import { CONTINUE_AFTER_MAX_TOKENS, CUT_OFF_TOOL_CALL, keptAfterMaxTokens, textOf, toolUsesOf } from './assistant-turn.js';
import type { RunOptions } from './run-options.js';

export type { RunEvent, RunOptions } from './run-options.js';

/**
 * Run one sub-conversation to its end. Never throws for model or tool failures. Limits
 * (turns, wall clock, dollars) end the run with their stop reason and the answer so far. The
 * run's tool scope (background shells, todo list, …) is ended when the run ends, however it ends.
 */
export async function runLoop(opts: RunOptions): Promise<RunResult> {
  // A run carried on from a checkpoint has already used part of its wall-clock limit.
  const limitMs = opts.budget.limits.maxDurationMs;
  const usedMs = opts.checkpoints?.from?.elapsedMs ?? 0;
  const deadline = startDeadline(opts.signal, limitMs === undefined ? undefined : Math.max(1, limitMs - usedMs));
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
  const from = opts.checkpoints?.from;
  const started = now() - (from?.elapsedMs ?? 0);
  const runId = from?.runId ?? opts.runId ?? randomUUID();
  const warnings = [...(opts.warnings ?? [])];
  // Server tools (web search/fetch) run on the API's side: offered by definition, never called here.
  const clientTools = opts.tools.filter((t) => t.serverTool === undefined);
  const toolsByName = new Map(clientTools.map((t) => [t.name, t]));
  const prefix: RequestPrefix = from?.prefix ?? opts.prefix ?? {
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
  const messages: ModelMessage[] = from
    ? messagesToContinue(from)
    : opts.history
      ? continueConversation(redactor.deep(opts.history), prompt)
      : [{ role: 'user', content: [{ type: 'text', text: prompt }] }];
  let usage = from?.usage ?? emptyUsage();
  let cost: number | null = from ? from.costUsd : 0;
  let turns = from?.turns ?? 0;
  if (from) scope.get(TODO_LIST).todos = from.todos as TodoItem[];
  /** Keep where the run stands (a durable run); not once it is cancelled or handed over. */
  const checkpoint = async (toolsInFlight: boolean): Promise<void> => {
    if (!opts.checkpoints || opts.signal.aborted) return;
    await opts.checkpoints.save({
      runId,
      messages: [...messages],
      prefix,
      turns,
      usage,
      costUsd: cost,
      elapsedMs: now() - started,
      todos: [...scope.get(TODO_LIST).todos],
      toolsInFlight,
    });
  };
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
        await checkpoint(true);
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
        await checkpoint(false);
        break;
      }
      case 'max_tokens': {
        // The turn goes back as it came; a tool call cut off mid-input is answered, not run.
        pending = answer;
        const kept = keptAfterMaxTokens(response.content);
        const cutCalls: ToolResultBlock[] = toolUsesOf(kept).map((call) => ({ type: 'tool_result', tool_use_id: call.id, content: [{ type: 'text', text: CUT_OFF_TOOL_CALL }], is_error: true }));
        messages.push({ role: 'assistant', content: kept });
        messages.push({ role: 'user', content: [...cutCalls, { type: 'text', text: CONTINUE_AFTER_MAX_TOKENS }] });
        await checkpoint(false);
        break;
      }
      case 'pause_turn':
        // A server tool (web search/fetch) paused a long turn: send it back to let it go on. The
        // continuation carries on the same assistant turn, so its text joins this part's.
        pending += text;
        messages.push({ role: 'assistant', content: response.content });
        await checkpoint(false);
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
