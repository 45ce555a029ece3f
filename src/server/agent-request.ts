/**
 * What a tools/call, prompts/get or resources/read asks for, read the same way in both protocol
 * eras. These functions only decide; each era turns a refusal into its own SDK's error, so the
 * 2025 leg (SDK 1.x) and the 2026 leg (SDK v2) cannot drift apart on what they accept.
 */
import type { CallToolResult, GetPromptResult } from '@modelcontextprotocol/server';
import { z } from 'zod';
import type { AgentDefinition } from '../agents/definition.js';
import type { CallContext } from '../run/call-context.js';
import type { Runner } from '../run/runner.js';
import { readChainFromMeta, type ChainLink } from '../tools/delegation/chain.js';
import { routeSingleModeCall } from './expose-single.js';
import { AGENT_URI_PREFIX, INDEX_URI, type Listings } from './listings.js';
import { isRunResourceUri, readRunResource, type ResourceRead } from './run-resources.js';

/** What both eras advertise: the three lists, each announcing its changes, and run logs. */
export const PUBLISHED_CAPABILITIES = {
  tools: { listChanged: true },
  resources: { listChanged: true },
  prompts: { listChanged: true },
  logging: {},
} as const;

/** The arguments of a published agent tool (`tools/call`): the task, and a run to continue. */
const AgentCallArgs = z.object({
  prompt: z.string().min(1, 'prompt must not be empty'),
  resume: z.string().min(1, 'resume must be a run_id').optional(),
});
const PromptArgs = z.object({ task: z.string().min(1, 'task must not be empty') });

/** A tools/call, resolved: the agent to run, a result to send at once, or a protocol error to throw. */
export type AgentCallRequest =
  | { kind: 'run'; agent: AgentDefinition; prompt: string; resume?: string; chain: readonly ChainLink[] }
  | { kind: 'answer'; result: CallToolResult }
  | { kind: 'invalid_params'; message: string };

function invalidInput(tool: string, error: z.ZodError): CallToolResult {
  const detail = error.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ');
  return { content: [{ type: 'text', text: `Invalid arguments for ${tool}: ${detail}. Send {"prompt": "<the task>"}.` }], isError: true };
}

/** Read a tools/call against the current listings (`--expose single` routes `delegate` here). */
export function resolveAgentCall(listings: Listings, params: { name: string; arguments?: Record<string, unknown> | undefined; _meta?: unknown }): AgentCallRequest {
  const call = { name: params.name, ...(params.arguments ? { arguments: params.arguments } : {}) };
  // --expose single: `delegate` becomes a call of the agent it names, list_agents is answered
  // on the spot, and agent tool names are unknown (undefined).
  const routed = listings.expose === 'single' ? routeSingleModeCall(listings.byToolName, call) : call;
  if (routed && 'content' in routed) return { kind: 'answer', result: routed };
  const agent = routed && listings.byToolName.get(routed.name);
  if (!agent) return { kind: 'invalid_params', message: `Unknown tool: ${routed?.name ?? params.name}. Call tools/list for the agents this server offers.` };
  const input = AgentCallArgs.safeParse(routed?.arguments ?? {});
  if (!input.success) return { kind: 'answer', result: invalidInput(agent.toolName, input.error) };
  const chain = readChainFromMeta(params._meta as Record<string, unknown> | undefined);
  if (!chain.ok) return { kind: 'invalid_params', message: chain.reason };
  return { kind: 'run', agent, prompt: input.data.prompt, chain: chain.chain, ...(input.data.resume ? { resume: input.data.resume } : {}) };
}

/**
 * The conversation a call's `resume` names, checked for `principal` and the agent called; or the
 * text of the isError result that says why it cannot be continued. The same in both eras, and on
 * the replica that carries a 2026 run on.
 */
export async function checkResume(runs: Pick<Runner, 'prepareResume'> | undefined, runId: string, agentName: string, principal: string): Promise<{ ok: true; resume: NonNullable<CallContext['resume']> } | { ok: false; refusal: string }> {
  if (!runs) return { ok: false, refusal: 'This server keeps no runs, so `resume` is not available; send the whole task in `prompt`.' };
  const check = await runs.prepareResume(runId, agentName, principal);
  if (!check.ok) return { ok: false, refusal: `Cannot resume: ${check.problem}` };
  return { ok: true, resume: { runId: check.runId, history: check.history } };
}

/** A prompts/get: the messages, or why there are none. */
export function renderAgentPrompt(listings: Listings, params: { name: string; arguments?: Record<string, string> | undefined }): { ok: true; result: GetPromptResult } | { ok: false; message: string } {
  const agent = listings.byToolName.get(params.name);
  if (!agent) return { ok: false, message: `Unknown prompt: ${params.name}. Call prompts/list for what this server offers.` };
  const args = PromptArgs.safeParse(params.arguments ?? {});
  if (!args.success) return { ok: false, message: `Prompt ${agent.toolName} needs a "task" argument.` };
  return {
    ok: true,
    result: {
      description: agent.description,
      messages: [
        { role: 'user', content: { type: 'text', text: `Take on this role for the task that follows:\n\n${agent.prompt}` } },
        { role: 'user', content: { type: 'text', text: args.data.task } },
      ],
    },
  };
}

/**
 * A resources/read of an agent's file, the index, or a kept run; the message says what to do when
 * there is no such resource (each era answers it with its own error code).
 */
export async function readAgentResource(listings: Listings, uri: string, runs: Pick<Runner, 'runs'> | undefined, principal: string): Promise<ResourceRead> {
  if (runs && isRunResourceUri(uri)) return readRunResource(uri, runs.runs, principal);
  if (uri === INDEX_URI) return { ok: true, result: { contents: [{ uri, mimeType: 'application/json', text: listings.indexJson }] } };
  const agent = uri.startsWith(AGENT_URI_PREFIX) ? listings.byToolName.get(uri.slice(AGENT_URI_PREFIX.length)) : undefined;
  if (!agent) return { ok: false, message: `Resource not found: ${uri}. Call resources/list for what this server offers.` };
  return { ok: true, result: { contents: [{ uri, mimeType: 'text/markdown', text: agent.source }] } };
}
