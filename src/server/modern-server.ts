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
import type { RunResult } from '../run/result.js';
import { PUBLISHED_CAPABILITIES, readAgentResource, renderAgentPrompt, resolveAgentCall } from './agent-request.js';
import { LOCAL_PRINCIPAL, type CallContext } from '../run/call-context.js';
import type { Listings } from './listings.js';
import { isTerminal, type LiveRuns, type LiveRunView, type RoundSink } from './live-runs.js';
import { declaresTasks, registerTaskMethods, TASKS_EXTENSION, toCreateTaskResult } from './modern-tasks.js';
import { createProgressReporter } from './progress.js';
import { RUN_RESOURCE_TEMPLATES, RUNS_RESOURCE } from './run-resources.js';
import type { AgentCaller } from './publish.js';
import type { Runner } from '../run/runner.js';
import { summarizeRun } from '../run/result.js';
import { toCallToolResult } from './tool-result.js';

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
  callAgent: AgentCaller;
  runs?: Pick<Runner, 'runs' | 'prepareResume'>;
  live: LiveRuns;
  /** Signs `requestState`, bound to the principal, with the approval timeout as its expiry. */
  stateCodec: RequestStateCodec<ApprovalState>;
  /** Who is calling: `local` over stdio; over HTTP, who the bearer token says. */
  principal: (ctx: ServerContext) => string;
  /** How long a client may cache the lists (longer when the agent folders are not watched). */
  listTtlMs: number;
  progressIntervalMs?: number;
}

const LOGGER = 'agents-mcp';

/** The part of the caller's declared capabilities we act on here; anything else in it is ignored. */
const CallerCapabilities = z.object({ elicitation: z.unknown().optional() }).catch({});

/** The caller's declared capabilities, from the request's own `_meta` envelope. */
function callerCapabilities(ctx: ServerContext): z.infer<typeof CallerCapabilities> {
  const envelope: Record<string, unknown> = ctx.mcpReq.envelope ?? {};
  return CallerCapabilities.parse(envelope[CLIENT_CAPABILITIES_META_KEY] ?? {});
}

function refused(text: string): CallToolResult {
  return { content: [{ type: 'text', text }], isError: true };
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
    if (!view) return refused('The run this answer was for is no longer waiting (it ended, or the server restarted). Call the tool again.');
    if (ctx.mcpReq.signal.aborted && !isTerminal(view.status)) {
      // The caller closed the request's stream (HTTP) or sent notifications/cancelled (stdio).
      options.live.cancel(view.id, options.principal(ctx), 'The caller cancelled the request.');
      return refused('The call was cancelled.');
    }
    if (isTerminal(view.status)) {
      options.live.forget(view.id);
      return view.result ?? refused(view.statusMessage ?? 'The run ended without a result.');
    }
    const inputRequests = Object.fromEntries([...view.questions].map(([key, form]) => [key, inputRequired.elicit(form)]));
    return inputRequired({ inputRequests, requestState: await options.stateCodec.mint({ run: view.id }, ctx) });
  }

  /**
   * Run the agent for the caller; progress and logs go to whichever of its requests is open. The
   * call's context is completed here with what only the paused-run registry has: the run's own
   * signal (the run outlives the request), its way to ask, and the progress sink.
   */
  function startRun(call: Omit<CallContext, 'signal' | 'onEvent' | 'caller'> & { caller: Omit<NonNullable<CallContext['caller']>, 'askUser'> }): LiveRunView {
    return options.live.start({
      principal: call.principal ?? LOCAL_PRINCIPAL,
      run: async ({ signal, askUser, setStatus, sink }) => {
        const reporter = createProgressReporter({
          send: (update) => {
            setStatus(update.message);
            sink()?.progress(update);
          },
          ...(options.progressIntervalMs ? { heartbeatMs: options.progressIntervalMs } : {}),
        });
        try {
          const result: RunResult = await options.callAgent({
            ...call,
            caller: { ...call.caller, ...(call.caller.asks === 'input_required' ? { askUser } : {}) },
            signal,
            onEvent: (event) => {
              if (event.type === 'started') sink()?.log('info', { event: 'run started', run_id: event.runId, agent: event.agent, model: event.model });
              reporter.onEvent(event);
            },
          });
          sink()?.log(result.stopReason === 'error' ? 'error' : 'info', { event: 'run ended', run_id: result.runId, agent: result.agent, ...summarizeRun(result) });
          return toCallToolResult(result);
        } finally {
          reporter.close();
        }
      },
    });
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
  async function runRound(id: string, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> {
    const detach = options.live.attach(id, roundSink(ctx));
    try {
      return await answerRound(await options.live.settle(id, ctx.mcpReq.signal), ctx);
    } finally {
      detach();
    }
  }

  server.setRequestHandler('tools/list', async () => ({ tools: (await options.listings()).modernTools }));

  server.setRequestHandler('tools/call', async (request, ctx): Promise<CallToolResult | InputRequiredResult> => {
    const state = ctx.mcpReq.requestState<ApprovalState>();
    if (state !== undefined) {
      // A retry with answers: the SDK verified the signature, expiry and principal already.
      const principal = options.principal(ctx);
      if (!options.live.answer(state.run, principal, ctx.mcpReq.inputResponses ?? {})) return answerRound(undefined, ctx);
      return runRound(state.run, ctx);
    }
    const call = resolveAgentCall(await options.listings(), request.params);
    if (call.kind === 'answer') return call.result;
    if (call.kind === 'invalid_params') throw new ProtocolError(ProtocolErrorCode.InvalidParams, call.message);
    let resume: CallContext['resume'];
    if (call.resume) {
      if (!options.runs) return refused('This server keeps no runs, so `resume` is not available; send the whole task in `prompt`.');
      const check = await options.runs.prepareResume(call.resume, call.agent.name, options.principal(ctx));
      if (!check.ok) return refused(`Cannot resume: ${check.problem}`);
      resume = { runId: check.runId, history: check.history };
    }
    const caps = callerCapabilities(ctx);
    const tasks = declaresTasks(ctx);
    // 2026 has no sampling or roots for us (docs/protocol.md): the run uses the server's model
    // and the configured workspaces.
    const view = startRun({
      agent: call.agent,
      prompt: call.prompt,
      ...(resume ? { resume } : {}),
      principal: options.principal(ctx),
      caller: { ...(caps.elicitation !== undefined ? { asks: 'input_required' as const } : {}), tasks },
      chain: call.chain,
    });
    // The task exists (tasks/get answers) before the caller hears of it.
    if (tasks) return toCreateTaskResult(view) as unknown as CallToolResult;
    return runRound(view.id, ctx);
  });

  server.setRequestHandler('resources/list', async () => ({ resources: [...(await options.listings()).resources, ...(options.runs ? [RUNS_RESOURCE] : [])] }));
  server.setRequestHandler('resources/templates/list', () => ({ resourceTemplates: options.runs ? RUN_RESOURCE_TEMPLATES : [] }));
  server.setRequestHandler('resources/read', async (request, ctx) => {
    const { uri } = request.params;
    const read = await readAgentResource(await options.listings(), uri, options.runs, options.principal(ctx));
    if (!read.ok) throw new ResourceNotFoundError(uri, read.message);
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
