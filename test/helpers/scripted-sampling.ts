/**
 * A scripted sampling handler for the real MCP SDK Client: the calling client's "model" in
 * tests of the sampling backend. Queue steps, record every request, fail on an unexpected one,
 * and end with assertComplete() — the same habits as the fake Messages API.
 */
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  CreateMessageRequestSchema,
  ErrorCode,
  McpError,
  type CreateMessageRequestParams,
  type CreateMessageResult,
  type CreateMessageResultWithTools,
  type SamplingMessageContentBlock,
} from '@modelcontextprotocol/sdk/types.js';

type SamplingResult = CreateMessageResult | CreateMessageResultWithTools;

/** Answers one sampling request. `signal` aborts when the server cancels the request. */
export type SamplingStep = (params: CreateMessageRequestParams, signal: AbortSignal) => SamplingResult | Promise<SamplingResult>;

export interface ScriptedSampling {
  /** Queue steps; each answers the next request, in order. */
  script(...steps: SamplingStep[]): void;
  /** Every request received, in order. */
  readonly requests: CreateMessageRequestParams[];
  /** Resolves once `count` requests in all have arrived. */
  waitForRequests(count: number): Promise<void>;
  /** Throws when a step is left over or a request came that no step was queued for. */
  assertComplete(): void;
}

/**
 * A result with `content`, stopping for `stopReason` (default: toolUse when a tool_use is in it,
 * else endTurn). One block is sent bare, as clients without `sampling.tools` must answer.
 */
export function samplingReply(
  content: SamplingMessageContentBlock[],
  options: { stopReason?: string; model?: string; usage?: Record<string, number> } = {},
): CreateMessageResultWithTools {
  const stopReason = options.stopReason ?? (content.some((b) => b.type === 'tool_use') ? 'toolUse' : 'endTurn');
  return {
    role: 'assistant',
    model: options.model ?? 'client-model-1',
    stopReason,
    content: content.length === 1 ? content[0]! : content,
    ...(options.usage ? { _meta: { usage: options.usage } } : {}),
  };
}

/** A tool_use block. */
export function samplingToolUse(name: string, input: Record<string, unknown>, id: string): SamplingMessageContentBlock {
  return { type: 'tool_use', name, input, id };
}

/** A text block. */
export function samplingText(text: string): SamplingMessageContentBlock {
  return { type: 'text', text };
}

/**
 * A step that never answers: it resolves `cancelled` once the server cancels the request
 * (the SDK aborts the handler's signal on `notifications/cancelled`).
 */
export function hangUntilCancelled(): { step: SamplingStep; cancelled: Promise<void> } {
  let resolveCancelled!: () => void;
  const cancelled = new Promise<void>((resolve) => (resolveCancelled = resolve));
  const step: SamplingStep = (_params, signal) =>
    new Promise<SamplingResult>((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        resolveCancelled();
        reject(new Error('cancelled by the server'));
      });
    });
  return { step, cancelled };
}

/** Install a scripted sampling handler on `client` (which must declare the sampling capability). */
export function installScriptedSampling(client: Client): ScriptedSampling {
  const queue: SamplingStep[] = [];
  const requests: CreateMessageRequestParams[] = [];
  const unexpected: string[] = [];
  const waiters: Array<{ count: number; resolve: () => void }> = [];

  client.setRequestHandler(CreateMessageRequestSchema, async (request, extra) => {
    requests.push(request.params);
    for (const w of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve();
    }
    const step = queue.shift();
    if (!step) {
      unexpected.push(`request ${requests.length} had no scripted step`);
      throw new McpError(ErrorCode.InternalError, 'scripted sampling: no step queued for this request');
    }
    return step(request.params, extra.signal);
  });

  return {
    script: (...steps) => void queue.push(...steps),
    requests,
    waitForRequests(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    assertComplete() {
      const problems = [...unexpected, ...(queue.length > 0 ? [`${queue.length} scripted step(s) never used`] : [])];
      unexpected.length = 0;
      queue.length = 0;
      if (problems.length > 0) throw new Error(`scripted sampling: ${problems.join('; ')}`);
    },
  };
}
