/**
 * A ModelClient that answers from a script, in memory: for tests of the loop, its limits and
 * budgets, which need no HTTP server. Queue the turns with `script`, read what the loop asked in
 * `calls`, and end with `assertComplete()`. A turn nobody scripted fails the test (and the run
 * gets a ModelError, as from a broken backend). The HTTP fake (test/fake-anthropic/) stays for
 * the Anthropic client, its retries and the wire.
 */
import { ModelError, type ContentBlock, type ModelClient, type ModelEvent, type ModelRequest, type ModelResponse, type StopReason, type TextBlock, type ToolResultBlock, type ToolUseBlock } from '../../src/run/model.js';
import type { Usage } from '../../src/run/usage.js';

/** One scripted turn: a response, an error to throw, or a function of the request (and the turn's signal). */
export type ScriptedTurn = ModelResponse | Error | ScriptedReply;
/** A scripted turn computed from the request; it may stream events, and sees the turn's signal. */
export type ScriptedReply = (request: ModelRequest, events: (event: ModelEvent) => void, signal: AbortSignal) => ModelResponse | Promise<ModelResponse>;

/** A scripted model client and its controls. */
export interface ScriptedModel extends ModelClient {
  /** Queue turns, answered in order. */
  script(...turns: ScriptedTurn[]): void;
  /** Every request the loop made, in order (the message list copied as it was when sent). */
  readonly calls: ModelRequest[];
  /** Throws when scripted turns were left unanswered, or a call came that nobody scripted. */
  assertComplete(): void;
}

/** A text block. */
export const text = (t: string): TextBlock => ({ type: 'text', text: t });

let nextId = 0;
/** A tool_use block (a fresh id unless given). */
export const toolUse = (name: string, input: unknown, id = `toolu_scripted_${++nextId}`): ToolUseBlock => ({ type: 'tool_use', id, name, input });

/** The tool_result block of a request's last message (the answer to the previous tool_use). */
export function lastToolResult(request: ModelRequest): ToolResultBlock {
  const result = request.messages.at(-1)?.content.find((b): b is ToolResultBlock => b.type === 'tool_result');
  if (!result) throw new Error('the last message has no tool_result');
  return result;
}

/** Names of the (client) tools a request offers. */
export const offeredTools = (request: ModelRequest): string[] => request.tools.map((t) => t.name);

/** A response with `content`; stop reason `tool_use` when it calls a tool, else `end_turn`; 10 in, 10 out tokens unless given. */
export function answer(content: ContentBlock[], options: { stopReason?: StopReason; rawStopReason?: string; usage?: Partial<Usage>; model?: string } = {}): ModelResponse {
  const stopReason = options.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn');
  return {
    content,
    stopReason,
    rawStopReason: options.rawStopReason ?? stopReason,
    usage: { input_tokens: 10, output_tokens: 10, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, ...options.usage },
    model: options.model ?? 'claude-sonnet-5-5',
  };
}

/** A turn that never answers: it fails as cancelled when the run's signal aborts (a cancel or a deadline), as a real backend does. */
export const hang = (): ScriptedReply => (_request, _events, signal) =>
  new Promise<ModelResponse>((_resolve, reject) => {
    const fail = (): void => reject(new ModelError('cancelled', 'scripted model: the turn was aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });

/** Create a scripted model client (backend name `scripted` unless given; `runsServerTools` as a backend that runs web search and fetch itself). */
export function createScriptedModel(options: { backend?: string; runsServerTools?: boolean } = {}): ScriptedModel {
  const queue: ScriptedTurn[] = [];
  const calls: ModelRequest[] = [];
  const unexpected: string[] = [];
  return {
    backend: options.backend ?? 'scripted',
    ...(options.runsServerTools ? { runsServerTools: true } : {}),
    calls,
    script(...turns) {
      queue.push(...turns);
    },
    async turn(request, turnOptions) {
      calls.push({ ...request, messages: structuredClone(request.messages) });
      const next = queue.shift();
      if (next === undefined) {
        unexpected.push(`call ${calls.length} (${request.messages.length} messages) was not scripted`);
        throw new ModelError('bad_response', `scripted model: call ${calls.length} was not scripted`);
      }
      if (next instanceof Error) throw next;
      const response = typeof next === 'function' ? await next(request, (e) => turnOptions.onEvent?.(e), turnOptions.signal) : next;
      for (const block of response.content) if (block.type === 'text') turnOptions.onEvent?.({ type: 'text', text: (block as TextBlock).text });
      return response;
    },
    assertComplete() {
      if (unexpected.length > 0) throw new Error(`scripted model: ${unexpected.join('; ')}`);
      if (queue.length > 0) throw new Error(`scripted model: ${queue.length} scripted turn(s) were never asked for`);
    },
  };
}
