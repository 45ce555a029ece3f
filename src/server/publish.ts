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
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';
import type { AgentDefinition } from '../agents/definition.js';
import type { RunResult } from '../run/loop.js';
import type { Runner } from '../run/runner.js';
import { readChainFromMeta } from '../tools/chain.js';
import { runAgentCall, type AgentCallOptions } from './agent-call.js';
import type { AgentTasks } from './agent-tasks.js';
import { routeSingleModeCall } from './expose-single.js';
import { AGENT_URI_PREFIX, INDEX_URI, type Listings } from './listings.js';
import { isRunResourceUri, readRunResource, RUN_RESOURCE_TEMPLATES, RUNS_RESOURCE } from './run-resources.js';
import { samplingAccessFor } from './sampling-access.js';

/** What the server needs to run an agent; cancellation arrives through `signal`. */
export type AgentCaller = (agent: AgentDefinition, prompt: string, signal: AbortSignal, options?: AgentCallOptions) => Promise<RunResult>;
import type { ClientRoots } from '../tools/client-roots.js';
import type { AskUser } from '../tools/permission.js';
import { createAskUser } from './ask-user.js';
import { fetchClientRoots } from './client-roots.js';

export interface PublishOptions {
  name: string;
  version: string;
  /** The current listings; read on every request so hot reload needs no re-registration. */
  listings: () => Listings;
  callAgent: AgentCaller;
  /** Kept runs: `run://` resources, `agents://runs` and `resume`. */
  runs?: Pick<Runner, 'runs' | 'prepareResume'>;
  /** MCP task support for agent tools (tasks/get, tasks/result, tasks/cancel). */
  tasks?: AgentTasks;
  /** Most milliseconds between progress notifications while a run is busy (default 10 s). */
  progressIntervalMs?: number;
}

const AgentInput = z.object({
  prompt: z.string().min(1, 'prompt must not be empty'),
  resume: z.string().min(1, 'resume must be a run_id').optional(),
});
const PromptArgs = z.object({ task: z.string().min(1, 'task must not be empty') });

function invalidInput(tool: string, error: z.ZodError): CallToolResult {
  const detail = error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  return { content: [{ type: 'text', text: `Invalid arguments for ${tool}: ${detail}. Send {"prompt": "<the task>"}.` }], isError: true };
}

/** Create a Server for one client session. */
export function createMcpServer(options: PublishOptions): Server {
  const server = new Server(
    { name: options.name, version: options.version, title: 'Agents' },
    {
      capabilities: {
        tools: { listChanged: true },
        resources: { listChanged: true },
        prompts: { listChanged: true },
        logging: {},
        ...(options.tasks ? { tasks: { list: {}, cancel: {}, requests: { tools: { call: {} } } } } : {}),
      },
      ...(options.tasks ? { taskStore: options.tasks.store } : {}),
      instructions:
        'Each agent tool (or `delegate`, when the server lists agents behind one tool) runs a specialised sub-agent on its own conversation and returns its final answer. Give it a self-contained task in `prompt`, with all the context it needs. To follow up on an earlier call, pass its `run_id` as `resume`. Read agent://<tool-name> for an agent\'s full definition.',
    },
  );

  server.setRequestHandler(ListToolsRequestSchema, () => ({ tools: options.listings().tools }));

  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const listings = options.listings();
    // --expose single: `delegate` becomes a call of the agent it names, list_agents is answered
    // on the spot, and agent tool names are unknown (undefined).
    const routed = listings.expose === 'single' ? routeSingleModeCall(listings.byToolName, request.params) : request.params;
    if (routed && 'content' in routed) return routed;
    const name = routed?.name ?? request.params.name;
    const agent = routed && listings.byToolName.get(routed.name);
    if (!agent) throw new McpError(ErrorCode.InvalidParams, `Unknown tool: ${name}. Call tools/list for the agents this server offers.`);
    const input = AgentInput.safeParse(routed?.arguments ?? {});
    if (!input.success) return invalidInput(name, input.error);
    const chain = readChainFromMeta(request.params._meta);
    if (!chain.ok) throw new McpError(ErrorCode.InvalidParams, chain.reason);
    const { prompt, resume } = input.data;
    const deps = {
      server,
      callAgent: options.callAgent,
      ...(options.runs ? { runs: options.runs } : {}),
      ...(options.tasks ? { tasks: options.tasks } : {}),
      ...(options.progressIntervalMs ? { progressIntervalMs: options.progressIntervalMs } : {}),
    };
    // The guard (depth limit, cycle) is applied by the run itself; a refused run is an isError result.
    const context = {
      sampling: samplingAccessFor(server, extra.requestId),
      askUser: createAskUser(server, extra.requestId),
      clientRoots: await fetchClientRoots(server, extra.requestId, extra.signal),
      ...(chain.chain.length > 0 ? { chain: chain.chain } : {}),
    };
    return runAgentCall(deps, { agent, prompt, context, ...(resume ? { resume } : {}) }, extra, request.params.task !== undefined);
  });

  server.setRequestHandler(ListResourcesRequestSchema, () => ({ resources: [...options.listings().resources, ...(options.runs ? [RUNS_RESOURCE] : [])] }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, () => ({ resourceTemplates: options.runs ? RUN_RESOURCE_TEMPLATES : [] }));
  server.setRequestHandler(ReadResourceRequestSchema, (request) => {
    const { uri } = request.params;
    if (options.runs && isRunResourceUri(uri)) return readRunResource(uri, options.runs.runs);
    const listings = options.listings();
    if (uri === INDEX_URI) return { contents: [{ uri, mimeType: 'application/json', text: listings.indexJson }] };
    const agent = uri.startsWith(AGENT_URI_PREFIX) ? listings.byToolName.get(uri.slice(AGENT_URI_PREFIX.length)) : undefined;
    if (!agent) throw new McpError(ErrorCode.InvalidParams, `Resource not found: ${uri}. Call resources/list for what this server offers.`, { uri });
    return { contents: [{ uri, mimeType: 'text/markdown', text: agent.source }] };
  });

  server.setRequestHandler(ListPromptsRequestSchema, () => ({ prompts: options.listings().prompts }));
  server.setRequestHandler(GetPromptRequestSchema, (request) => {
    const agent = options.listings().byToolName.get(request.params.name);
    if (!agent) throw new McpError(ErrorCode.InvalidParams, `Unknown prompt: ${request.params.name}. Call prompts/list for what this server offers.`);
    const args = PromptArgs.safeParse(request.params.arguments ?? {});
    if (!args.success) throw new McpError(ErrorCode.InvalidParams, `Prompt ${agent.toolName} needs a "task" argument.`);
    return {
      description: agent.description,
      messages: [
        { role: 'user' as const, content: { type: 'text' as const, text: `Take on this role for the task that follows:\n\n${agent.prompt}` } },
        { role: 'user' as const, content: { type: 'text' as const, text: args.data.task } },
      ],
    };
  });

  return server;
}

/** Tell one connected client that tools, resources and prompts changed. Never throws. */
export async function notifyListChanged(server: Server): Promise<void> {
  await Promise.allSettled([server.sendToolListChanged(), server.sendResourceListChanged(), server.sendPromptListChanged()]);
}
