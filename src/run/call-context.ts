/**
 * The one shape a call travels in, built once per request by whoever received it (the 2025 or
 * 2026 MCP leg, the terminal) and passed unchanged to the runner; a nested run (the Agent tool)
 * derives its own from its parent's. Whether and how the caller can be asked, sample or receive
 * tasks is part of it; the loop itself only ever sees `authorize()`.
 */
import type { AgentDefinition } from '../agents/definition.js';
import type { ChainLink } from '../tools/delegation/chain.js';
import type { ClientRoots } from './confine-roots.js';
import type { AskUser } from '../tools/permissions/permission.js';
import type { RunEvent } from './loop.js';
import type { Checkpoints } from './checkpoint.js';
import type { ModelMessage } from './model.js';
import type { SamplingAccess } from './sampling.js';

/** What a caller hears while its call is under way: the loop's events, plus its place in line. */
export type CallEvent =
  | RunEvent
  | { type: 'queued'; position: number }
  | { type: 'started'; runId: string; agent: string; model: string };

/** What the caller can do for a run. Absent members: it cannot. */
export interface CallerAbilities {
  /** Ask a person for approval; `asks` says how the question reaches them. */
  askUser?: AskUser;
  /** `push`: a 2025 elicitation request; `input_required`: a 2026 result the caller answers by retrying; `terminal`: `agents-mcp run`. */
  asks?: 'push' | 'input_required' | 'terminal';
  /** The caller's model, for the no-key backend (2025 sampling). */
  sampling?: SamplingAccess;
  /** The caller's MCP roots (2025); they narrow the workspaces, never widen them. */
  clientRoots?: ClientRoots;
  /** The caller takes a task handle in place of a blocking answer (2026 tasks extension). */
  tasks?: boolean;
}

/** One call of an agent. */
export interface CallContext {
  agent: AgentDefinition;
  prompt: string;
  /** An earlier run this call continues, as the runner checked it. */
  resume?: { runId: string; history: ModelMessage[] };
  /** Who asked: `local` over stdio and on the terminal (the default); over HTTP, who the credential says. */
  principal?: string;
  caller?: CallerAbilities;
  /** The runs this call is nested in, outermost first (from the Agent tool or an incoming `_meta`). */
  chain?: readonly ChainLink[];
  signal: AbortSignal;
  /** Progress: the loop's events and the queue, for the caller's progress sink. */
  onEvent?: (event: CallEvent) => void;
  /** A durable run (another replica may carry it on): where its checkpoints go. Never passed to nested runs. */
  checkpoints?: Checkpoints;
}

/** The principal when none is given: the local user. */
export const LOCAL_PRINCIPAL = 'local';

/**
 * A nested run's context: the parent's principal and caller (it asks the same person, stays in
 * the same roots), a fresh prompt, and the chain, signal and progress the Agent tool gives it.
 */
export function deriveNestedContext(parent: CallContext, nested: { agent: AgentDefinition; prompt: string; chain: readonly ChainLink[]; signal: AbortSignal; onEvent?: (event: CallEvent) => void }): CallContext {
  return {
    agent: nested.agent,
    prompt: nested.prompt,
    ...(parent.principal !== undefined ? { principal: parent.principal } : {}),
    ...(parent.caller ? { caller: parent.caller } : {}),
    chain: nested.chain,
    signal: nested.signal,
    ...(nested.onEvent ? { onEvent: nested.onEvent } : {}),
  };
}
