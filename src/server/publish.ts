/**
 * One MCP Server (one per client session) publishing the current listings: agent tools,
 * agent resources and agent prompts. Transport-free: stdio and HTTP connect it.
 */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import type { AgentDefinition } from '../agents/definition.js';
import type { RunResult } from '../run/result.js';
import type { Runner } from '../run/runner.js';
import { runAgentCall } from './agent-call.js';
import { LOCAL_PRINCIPAL, type CallContext } from '../run/call-context.js';
import type { AgentTasks } from './agent-tasks.js';
import { PUBLISHED_CAPABILITIES, readAgentResource, renderAgentPrompt, resolveAgentCall } from './agent-request.js';
import type { Listings } from './listings.js';
import { RUN_RESOURCE_TEMPLATES, RUNS_RESOURCE } from './run-resources.js';
import { samplingAccessFor } from './sampling-access.js';

/** What the server needs to run an agent: the call's context, built once per request; cancellation arrives through its `signal`. */
export type CallAgent = (ctx: CallContext) => Promise<RunResult>;
import { createAskUser } from './ask-user.js';
import { fetchClientRoots } from './fetch-client-roots.js';

/** What the server tells every client about itself, in both eras. */
export const SERVER_INSTRUCTIONS =
  'Each agent tool (or `delegate`, when the server lists agents behind one tool) runs a specialised sub-agent on its own conversation and returns its final answer. Give it a self-contained task in `prompt`, with all the context it needs. To follow up on an earlier call, pass its `run_id` as `resume`. Read agent://<tool-name> for an agent\'s full definition.';

export interface PublishOptions {
  name: string;
  version: string;
  /**
   * The current listings; read on every request so hot reload needs no re-registration. A promise
   * while the catalog loads: list and call requests wait for it, `initialize` does not.
   */
  listings: () => Listings | Promise<Listings>;
  callAgent: CallAgent;
  /** Kept runs: `run://` resources, `agents://runs` and `resume`. */
  runs?: Pick<Runner, 'runs' | 'prepareResume'>;
  /** MCP task support for agent tools (tasks/get, tasks/result, tasks/cancel). */
  tasks?: AgentTasks;
  /** Most milliseconds between progress notifications while a run is busy (default 10 s). */
  progressIntervalMs?: number;
  /** Who this session is (HTTP: the principal its token names); default the local user. */
  principal?: string;
  /** The client is remote (HTTP): its roots outside the workspaces are ignored with a warning, not refused. */
  remote?: boolean;
}

/** Create a Server for one client session. */
export function createMcpServer(options: PublishOptions): Server {
  const server = new Server(
    { name: options.name, version: options.version, title: 'Agents' },
    {
      capabilities: {
        ...PUBLISHED_CAPABILITIES,
        ...(options.tasks ? { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } } : {}),
      },
      ...(options.tasks ? { taskStore: options.tasks.storeFor(options.principal ?? LOCAL_PRINCIPAL) } : {}),
      instructions: SERVER_INSTRUCTIONS,
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: (await options.listings()).tools }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const call = resolveAgentCall(await options.listings(), request.params);
    if (call.kind === 'answer') return call.result;
    if (call.kind === 'invalid_params') throw new McpError(ErrorCode.InvalidParams, call.message);
    const deps = {
      server,
      callAgent: options.callAgent,
      ...(options.runs ? { runs: options.runs } : {}),
      ...(options.tasks ? { tasks: options.tasks } : {}),
      ...(options.progressIntervalMs ? { progressIntervalMs: options.progressIntervalMs } : {}),
    };
    // What this 2025 session offers a run; the guard (depth limit, cycle) is applied by the run
    // itself, and a refused run is an isError result.
    const askUser = createAskUser(server, extra.requestId);
    const sampling = samplingAccessFor(server, extra.requestId);
    const fetched = await fetchClientRoots(server, extra.requestId, extra.signal);
    const clientRoots = options.remote ? { ...fetched, remote: true } : fetched;
    const asTask = request.params.task !== undefined;
    const context = {
      agent: call.agent,
      prompt: call.prompt,
      principal: options.principal ?? LOCAL_PRINCIPAL,
      caller: { ...(askUser ? { askUser, asks: 'push' as const } : {}), ...(sampling ? { sampling } : {}), clientRoots, tasks: asTask },
      chain: call.chain,
    };
    return runAgentCall(deps, { context, ...(call.resume ? { resume: call.resume } : {}) }, extra, asTask);
  });

  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: [...(await options.listings()).resources, ...(options.runs ? [RUNS_RESOURCE] : [])] }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: options.runs ? RUN_RESOURCE_TEMPLATES : [] }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    const { uri } = request.params;
    const read = await readAgentResource(await options.listings(), uri, options.runs, options.principal ?? LOCAL_PRINCIPAL);
    if (!read.ok) throw new McpError(read.unavailable ? ErrorCode.InternalError : ErrorCode.InvalidParams, read.message, { uri });
    return read.result;
  });

  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: (await options.listings()).prompts }));
  server.setRequestHandler(GetPromptRequestSchema, async (request) => {
    const prompt = renderAgentPrompt(await options.listings(), request.params);
    if (!prompt.ok) throw new McpError(ErrorCode.InvalidParams, prompt.message);
    return prompt.result;
  });

  return server;
}

/** Tell one connected client that tools, resources and prompts changed. Never throws. */
export async function notifyListChanged(server: Server): Promise<void> {
  await Promise.allSettled([server.sendToolListChanged(), server.sendResourceListChanged(), server.sendPromptListChanged()]);
}
