/**
 * The MCP server for 2026-07-28 callers (SDK v2): stateless, one instance per request over HTTP
 * and one per connection over stdio, advertised by `server/discover`. It publishes the same
 * listings as the 2025 leg (publish.ts), with cache hints; agent calls run in {@link LiveRuns}, so
 * an approval becomes an `input_required` round and a caller that declares the tasks extension
 * gets a task (tasks/get, tasks/update, tasks/cancel; see modern-tasks.ts).
 */
import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  Server,
  type CacheHint,
  type CallToolResult,
  type InputRequiredResult,
  type RequestStateCodec,
  type ServerContext,
} from '@modelcontextprotocol/server';
import { z } from 'zod';
import { refusedCall } from './tool-result.js';
import { checkResume, PUBLISHED_CAPABILITIES, readAgentResource, renderAgentPrompt, resolveAgentCall } from './agent-request.js';
import type { Listings } from './listings.js';
import { isTerminal, type LiveRuns, type LiveRunView, type RoundSink } from './live-runs.js';
import { declaresTasks, registerTaskMethods, TASKS_EXTENSION, toCreateTaskResult } from './modern-tasks.js';
import { RUN_RESOURCE_TEMPLATES, RUNS_RESOURCE } from './run-resources.js';
import type { Runner } from '../run/runner.js';

/** What `requestState` carries between rounds: which paused run the answer is for. Signed, not secret. */
export interface ApprovalState {
  run: string;
}

export interface ModernServerOptions {
  name: string;
  version: string;
  instructions: string;
  /** A promise while the catalog loads: lists and calls wait for it, `server/discover` does not. */
  listings: () => Listings | Promise<Listings>;
  runs?: Pick<Runner, 'runs' | 'prepareResume'>;
  live: LiveRuns;
  /** Signs `requestState`, bound to the principal, with the approval timeout as its expiry. */
  stateCodec: RequestStateCodec<ApprovalState>;
  /** Who is calling: `local` over stdio; over HTTP, who the bearer token says. */
  principal: (ctx: ServerContext) => string;
  /** How long a client may cache the lists (longer when the agent folders are not watched). */
  listTtlMs: number;
}

const LOGGER = 'agents-mcp';

/** The part of the caller's declared capabilities we act on here; anything else in it is ignored. */
const CallerCapabilities = z.object({ elicitation: z.unknown().optional() }).catch({});

/** The caller's declared capabilities, from the request's own `_meta` envelope. */
function callerCapabilities(ctx: ServerContext): z.infer<typeof CallerCapabilities> {
  const envelope: Record<string, unknown> = ctx.mcpReq.envelope ?? {};
  return CallerCapabilities.parse(envelope[CLIENT_CAPABILITIES_META_KEY] ?? {});
}


/** Create the server for one 2026 request (HTTP) or connection (stdio). */
export function createModernServer(options: ModernServerOptions): Server {
  const lists: CacheHint = { ttlMs: options.listTtlMs, cacheScope: 'public' };
  const server = new Server(
    { name: options.name, version: options.version, title: 'Agents' },
    {
      capabilities: {
        ...PUBLISHED_CAPABILITIES,
        extensions: { [TASKS_EXTENSION]: {} },
      },
      instructions: options.instructions,
      // The lists are the same for every caller; kept runs (resources/read of run://) are not cached.
      cacheHints: { 'tools/list': lists, 'prompts/list': lists, 'resources/list': lists, 'resources/templates/list': lists, 'server/discover': lists },
      requestState: { verify: options.stateCodec.verify },
    },
  );

  /** Send the round's answer: the result when the run ended, else its open questions. */
  async function answerRound(view: LiveRunView | undefined, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> {
    if (!view) return refusedCall('The run this answer was for is no longer waiting (it ended, or the server restarted). Call the tool again.');
    if (ctx.mcpReq.signal.aborted && !isTerminal(view.status)) {
      // The caller closed the request's stream (HTTP) or sent notifications/cancelled (stdio).
      await options.live.cancel(view.id, options.principal(ctx), 'The caller cancelled the request.');
      return refusedCall('The call was cancelled.');
    }
    if (isTerminal(view.status)) {
      await options.live.forget(view.id);
      return view.result ?? refusedCall(view.statusMessage ?? 'The run ended without a result.');
    }
    const inputRequests = Object.fromEntries([...view.questions].map(([key, form]) => [key, inputRequired.elicit(form)]));
    return inputRequired({ inputRequests, requestState: await options.stateCodec.mint({ run: view.id }, ctx) });
  }

  /** This request as a sink: progress on its stream (when it asked for progress), logs when its _meta asked for a level. */
  function roundSink(ctx: ServerContext): RoundSink {
    const progressToken = ctx.mcpReq._meta?.progressToken;
    return {
      progress(update) {
        if (progressToken === undefined) return;
        void ctx.mcpReq.notify({ method: 'notifications/progress', params: { progressToken, progress: update.progress, message: update.message } }).catch(() => undefined);
      },
      log(level, data) {
        // The SDK drops it unless the request's _meta carried a log level.
        void ctx.mcpReq.log(level, data, LOGGER).catch(() => undefined);
      },
    };
  }

  /** Wait, with this request attached, until the run asks or ends; then answer the round. */
  async function runRound(id: string, ctx: ServerContext, answered?: ReadonlySet<string>): Promise<CallToolResult | InputRequiredResult> {
    const detach = options.live.attach(id, roundSink(ctx));
    try {
      return await answerRound(await options.live.settle(id, ctx.mcpReq.signal, answered), ctx);
    } finally {
      detach();
    }
  }

  server.setRequestHandler('tools/list', async () => ({ tools: (await options.listings()).modernTools }));

  server.setRequestHandler('tools/call', async (request, ctx): Promise<CallToolResult | InputRequiredResult> => {
    const state = ctx.mcpReq.requestState<ApprovalState>();
    if (state !== undefined) {
      // A retry with answers: the SDK verified the signature, expiry and principal already.
      // The run may execute on another replica: the answer travels to it, and this round waits
      // until the run has moved past the questions answered here.
      const answered = await options.live.answer(state.run, options.principal(ctx), ctx.mcpReq.inputResponses ?? {});
      if (!answered) return answerRound(undefined, ctx);
      return runRound(state.run, ctx, answered);
    }
    const call = resolveAgentCall(await options.listings(), request.params);
    if (call.kind === 'answer') return call.result;
    if (call.kind === 'invalid_params') throw new ProtocolError(ProtocolErrorCode.InvalidParams, call.message);
    if (call.resume) {
      // Checked here so the caller hears at once; the executor checks again where the run goes on.
      const check = await checkResume(options.runs, call.resume, call.agent.name, options.principal(ctx));
      if (!check.ok) return refusedCall(check.refusal);
    }
    const caps = callerCapabilities(ctx);
    const tasks = declaresTasks(ctx);
    const { name, arguments: args, _meta } = request.params;
    // The spec is kept in the store, so that any replica can run it (live-run-executor.ts).
    let view: LiveRunView;
    try {
      view = await options.live.start({
        principal: options.principal(ctx),
        call: { name, ...(args ? { arguments: args } : {}), ...(_meta ? { _meta: _meta as Record<string, unknown> } : {}) },
        caller: { ...(caps.elicitation !== undefined ? { asks: 'input_required' as const } : {}), tasks },
      });
    } catch (err) {
      // The run's state could not be kept (Redis away): nothing started, so nothing is lost.
      return refusedCall(`The run was not started: ${err instanceof Error ? err.message : String(err)}.`);
    }
    // The task exists (tasks/get answers) before the caller hears of it.
    if (tasks) return toCreateTaskResult(view) as unknown as CallToolResult;
    return runRound(view.id, ctx);
  });

  server.setRequestHandler('resources/list', async () => ({ resources: [...(await options.listings()).resources, ...(options.runs ? [RUNS_RESOURCE] : [])] }));
  server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: options.runs ? RUN_RESOURCE_TEMPLATES : [] }));
  server.setRequestHandler('resources/read', async (request, ctx) => {
    const { uri } = request.params;
    const read = await readAgentResource(await options.listings(), uri, options.runs, options.principal(ctx));
    if (!read.ok) throw read.unavailable ? new ProtocolError(ProtocolErrorCode.InternalError, read.message) : new ResourceNotFoundError(uri, read.message);
    // Agent files change only on reload; kept runs change while they run and are the caller's own.
    const isRun = RUNS_RESOURCE.uri === uri || uri.startsWith('run://');
    return { ...read.result, ttlMs: isRun ? 0 : lists.ttlMs, cacheScope: isRun ? 'private' : 'public' };
  });

  server.setRequestHandler('prompts/list', async () => ({ prompts: (await options.listings()).prompts }));
  server.setRequestHandler('prompts/get', async (request) => {
    const prompt = renderAgentPrompt(await options.listings(), request.params);
    if (!prompt.ok) throw new ProtocolError(ProtocolErrorCode.InvalidParams, prompt.message);
    return prompt.result;
  });

  registerTaskMethods(server, { live: options.live, principal: options.principal });
  return server;
}
