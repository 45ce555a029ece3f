/**
 * The ModelClient seam. The loop talks to this and never to a vendor SDK: the Anthropic
 * client (anthropic.ts) and MCP sampling (sampling.ts) sit behind it, and tests may put
 * anything that speaks the same protocol here.
 *
 * The vocabulary is the Messages API's (it is the richest of the backends we target);
 * other backends translate at their edge.
 */
import type { Effort } from '../agents/effort.js';
import type { JsonSchemaObject, ToolResultPart } from '../tools/tool.js';
import type { Usage } from './usage.js';

export interface TextBlock {
  type: 'text';
  text: string;
}
export interface ToolUseBlock {
  type: 'tool_use';
  id: string;
  name: string;
  input: unknown;
}
export interface ToolResultBlock {
  type: 'tool_result';
  tool_use_id: string;
  content: ToolResultPart[];
  is_error?: boolean;
}
/** Blocks we pass back to the model untouched (thinking, server tool results, …). */
export interface OpaqueBlock {
  type: string;
  [key: string]: unknown;
}
export type ContentBlock = TextBlock | ToolUseBlock | ToolResultBlock | OpaqueBlock;

export interface ModelMessage {
  role: 'user' | 'assistant';
  content: ContentBlock[];
}

/** A tool as offered to the model. */
export interface ToolSpec {
  name: string;
  description: string;
  input_schema: JsonSchemaObject;
}

/**
 * A tool the API runs itself (web search, web fetch), sent as its typed definition, e.g.
 * `{ type: 'web_search_20250305', name: 'web_search' }`. Its calls and results come back as
 * opaque blocks (server_tool_use, web_search_tool_result) that the loop passes back untouched.
 */
export interface ServerToolSpec {
  type: string;
  name: string;
  [key: string]: unknown;
}

/**
 * What a run sends before its messages: the system prompt and the tools. Signed thinking blocks
 * are bound to it, so a resumed run sends the one it started with, byte for byte.
 */
export interface RequestPrefix {
  system: string;
  tools: ToolSpec[];
  serverTools: ServerToolSpec[];
}

export interface ModelRequest {
  model: string;
  system: string;
  messages: ModelMessage[];
  tools: ToolSpec[];
  maxTokens: number;
  /**
   * The agent's own `model:` setting as written (`inherit`, an alias, a full id), for
   * backends that choose a model by hint rather than by id (MCP sampling).
   */
  requestedModel?: string;
  /** Server tools offered besides `tools`; absent = none. */
  serverTools?: ServerToolSpec[];
  /** The agent's `effort:` (Messages API `output_config.effort`); absent = the model's default. */
  effort?: Effort;
}

/**
 * Why a turn ended, unified across backends. `other` keeps unknown values from ending
 * in a crash; the raw value travels beside it.
 */
export type StopReason =
  | 'end_turn'
  | 'tool_use'
  | 'max_tokens'
  | 'stop_sequence'
  | 'pause_turn'
  | 'refusal'
  | 'model_context_window_exceeded'
  | 'other';

/** Why the model refused (the API's `stop_details` on a `refusal`). */
export interface RefusalDetails {
  /** The policy category (`cyber`, `bio`, …), or null when none applies. */
  category: string | null;
  /** A sentence for the user, or null when the API gives none. */
  explanation: string | null;
}

export interface ModelResponse {
  content: ContentBlock[];
  stopReason: StopReason;
  /** The backend's own stop reason, as received. */
  rawStopReason: string | null;
  /** Present on a refusal whose backend said why. */
  refusal?: RefusalDetails;
  usage: Usage;
  /** The model that answered (may differ from the one asked for). */
  model: string;
}

/** Streamed while a turn is under way, for progress reporting. */
export type ModelEvent =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; name: string }
  /** The turn starts over (a stream broke mid-way): text streamed so far is void. */
  | { type: 'restart' };

export interface TurnOptions {
  signal: AbortSignal;
  onEvent?: (event: ModelEvent) => void;
}

export interface ModelClient {
  /** Backend name for logs and results (`anthropic`, `sampling`). */
  readonly backend: string;
  /** Whether the backend runs server tools (web search/fetch) itself; absent = it does not. */
  readonly runsServerTools?: boolean;
  /** One model turn. Throws ModelError when the backend fails after its own retries. */
  turn(request: ModelRequest, options: TurnOptions): Promise<ModelResponse>;
}

/** What kind of failure a model call had: decides the message and the advice. */
export type ModelErrorKind =
  | 'auth'
  | 'permission'
  | 'billing'
  | 'not_found'
  | 'request_too_large'
  | 'rate_limit'
  | 'overloaded'
  | 'bad_request'
  | 'server'
  | 'connection'
  | 'stream_cut'
  | 'bad_response'
  | 'timeout'
  | 'cancelled'
  | 'no_credentials'
  | 'no_backend'
  | 'sampling_unsupported'
  | 'sampling_failed';

const ADVICE: Record<ModelErrorKind, string> = {
  auth: 'Check ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) in the server environment.',
  permission:
    'The API key may not use this model or feature: check the key\'s workspace and its model access in the Claude Console, or give the agent another model.',
  billing: 'The Anthropic account has no credit left or its plan does not cover this: add credit or check the plan under Plans & Billing in the Claude Console, then call again.',
  not_found:
    'The API does not know this model id: check the agent\'s `model:` (or --model and the alias it maps to), and run `agents-mcp validate` to see which model each agent resolves to.',
  request_too_large:
    'The run\'s content is over the API\'s request size limit (large files or tool results in its history): start a new run with a narrower task instead of resuming this one.',
  rate_limit: 'The API rate limit was hit; wait a little and call again, or lower concurrency.',
  overloaded: 'The API is overloaded; try again in a minute.',
  bad_request:
    'The API rejected the request as invalid (its message above says which part). If it names a thinking block\'s signature, start a new run instead of resuming; otherwise this is likely a bug in agents-mcp: report it with the server log.',
  server: 'The API had an internal error; try again.',
  connection: 'Could not reach the API; check the network and ANTHROPIC_BASE_URL.',
  stream_cut: 'The connection to the API dropped mid-answer, also on retry; check the network (or a proxy that cuts long responses) and try again.',
  bad_response:
    'The API sent a response that could not be read; check that ANTHROPIC_BASE_URL points at the Messages API and that no proxy alters its responses.',
  timeout: 'The API did not answer in time; try again.',
  cancelled: 'The call was cancelled.',
  no_credentials:
    'Set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) in the environment of the agents-mcp server, e.g. in the "env" block of its entry in your MCP client config.',
  no_backend:
    'Either set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) in the environment of the agents-mcp server (the "env" block of its entry in your MCP client config), or call from an MCP client that supports sampling with tools (MCP 2025-11-25), so agents run on the client\'s own model. See docs/sampling.md.',
  sampling_unsupported:
    'Call from an MCP client that declares the needed sampling capability, or set ANTHROPIC_API_KEY (or ANTHROPIC_AUTH_TOKEN) in the server environment and use --model-backend auto or anthropic. See docs/sampling.md.',
  sampling_failed:
    'The MCP client did not complete the sampling request: approve sampling for this server in the client (some clients ask per request or need a setting), check the client\'s model, or set ANTHROPIC_API_KEY and use --model-backend anthropic.',
};

/** A model call that failed, classified so the caller can say what to do. */
export class ModelError extends Error {
  readonly kind: ModelErrorKind;
  readonly status?: number;
  /** Tokens the failed call used before it failed (billed all the same), when known. */
  readonly usage?: Usage;
  constructor(kind: ModelErrorKind, message: string, options?: { status?: number; cause?: unknown; usage?: Usage }) {
    super(message, { cause: options?.cause });
    this.name = new.target.name;
    this.kind = kind;
    this.status = options?.status;
    if (options?.usage) this.usage = options.usage;
  }
  /** What the user can do about it. */
  get advice(): string {
    return ADVICE[this.kind];
  }
}
