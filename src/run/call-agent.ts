/**
 * One call of an agent, as the server (or the CLI) makes it: resolve the model, the
 * permitted tools and the system prompt from the definition and the server's settings,
 * then run the loop. This is the single code path every front end uses.
 */
import { randomUUID } from 'node:crypto';
import { resolveModel } from '../agents/models.js';
import type { AgentDefinition } from '../agents/definition.js';
import type { Logger } from '../log.js';
import type { Tool } from '../tools/tool.js';
import { resolveToolbox } from '../tools/toolbox.js';
import { runAgent, type RunEvent, type RunResult } from './loop.js';
import { ModelError, type ModelClient } from './model.js';
import { buildSystemPrompt } from './system-prompt.js';
import { emptyUsage } from './usage.js';

export interface CallAgentSettings {
  defaultModel: string;
  modelAliases: Record<string, string>;
  maxTurns: number;
  maxOutputTokens: number;
  /** Real paths of the workspace roots; the first is the working directory. */
  roots: string[];
}

export interface CallAgentDeps {
  settings: CallAgentSettings;
  /** Every tool the server offers; the agent's lists choose among these. */
  tools: Tool[];
  /** The model backend, or a ModelError explaining why there is none (e.g. no credentials). */
  client: ModelClient | ModelError;
  logger: Logger;
  now?: () => Date;
}

export interface CallAgentRequest {
  agent: AgentDefinition;
  prompt: string;
  signal: AbortSignal;
  onEvent?: (event: RunEvent) => void;
  /**
   * The model backend for this call, chosen per call by the server (e.g. MCP sampling on the
   * calling session); defaults to `deps.client`. Nested runs (delegation) must pass the
   * parent's client on, so a whole call tree runs on one backend.
   */
  client?: ModelClient | ModelError;
}

/** An agent's own `maxTurns` may lower the server's limit, never raise it. */
export function effectiveMaxTurns(agent: AgentDefinition, serverMax: number): number {
  const own = agent.extra['maxTurns'];
  const n = typeof own === 'number' ? own : typeof own === 'string' ? Number.parseInt(own, 10) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? Math.min(n, serverMax) : serverMax;
}

/** Run `agent` on `prompt` and return its result; never throws for model or tool failures. */
export async function callAgent(deps: CallAgentDeps, req: CallAgentRequest): Promise<RunResult> {
  // A per-call backend (the calling session's sampling) takes the place of the shared one.
  if (req.client) deps = { ...deps, client: req.client };
  const { settings, logger } = deps;
  const runId = randomUUID();
  const model = resolveModel(req.agent.model, { aliases: settings.modelAliases, defaultModel: settings.defaultModel });
  const toolbox = resolveToolbox({ tools: req.agent.tools, disallowedTools: req.agent.disallowedTools, available: deps.tools });
  const log = logger.child({ run_id: runId, agent: req.agent.name });

  if (deps.client instanceof ModelError) {
    const error = deps.client;
    log.info({ kind: error.kind }, 'run refused: no model backend');
    return {
      answer: '',
      runId,
      agent: req.agent.name,
      model,
      backend: 'none',
      stopReason: 'error',
      turns: 0,
      usage: emptyUsage(),
      costUsd: 0,
      durationMs: 0,
      warnings: toolbox.warnings,
      error: { kind: error.kind, message: error.message, advice: error.advice },
    };
  }

  const roots = settings.roots;
  const system = buildSystemPrompt(req.agent.prompt, { cwd: roots[0]!, roots, now: (deps.now ?? (() => new Date()))() });
  log.info({ model, tools: toolbox.tools.map((t) => t.name), backend: deps.client.backend }, 'run started');
  const result = await runAgent({
    agentName: req.agent.name,
    system,
    prompt: req.prompt,
    model,
    requestedModel: req.agent.model,
    client: deps.client,
    tools: toolbox.tools,
    roots,
    maxTurns: effectiveMaxTurns(req.agent, settings.maxTurns),
    maxTokens: settings.maxOutputTokens,
    signal: req.signal,
    warnings: toolbox.warnings,
    runId,
    ...(req.onEvent ? { onEvent: req.onEvent } : {}),
  });
  log.info(
    {
      model: result.model,
      turns: result.turns,
      usage: result.usage,
      cost_usd: result.costUsd,
      stop_reason: result.stopReason,
      duration_ms: result.durationMs,
      ...(result.error ? { error_kind: result.error.kind } : {}),
    },
    'run ended',
  );
  return result;
}
