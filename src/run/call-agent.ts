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
import { effectiveLimits } from './agent-limits.js';
import { runAgent, type RunEvent, type RunResult } from './loop.js';
import { ModelError, type ModelClient, type ModelMessage } from './model.js';
import { buildSystemPrompt } from './system-prompt.js';
import { emptyUsage } from './usage.js';

export interface CallAgentSettings {
  defaultModel: string;
  modelAliases: Record<string, string>;
  maxTurns: number;
  maxOutputTokens: number;
  /** Real paths of the workspace roots; the first is the working directory. */
  roots: string[];
  /** Wall-clock limit per call in ms (an agent's `maxDurationSeconds` may lower it). */
  maxDurationMs?: number;
  /** Dollar cap per call (an agent's `maxCostUsd` may lower it). */
  maxCostUsd?: number;
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
  /** The run's id, when the caller chose it (to record the run before it starts). */
  runId?: string;
  /** An earlier conversation that `prompt` continues (resume). */
  history?: ModelMessage[];
}

/** An agent's own `maxTurns` may lower the server's limit, never raise it. */
export function effectiveMaxTurns(agent: AgentDefinition, serverMax: number): number {
  const own = agent.extra['maxTurns'];
  const n = typeof own === 'number' ? own : typeof own === 'string' ? Number.parseInt(own, 10) : Number.NaN;
  return Number.isInteger(n) && n > 0 ? Math.min(n, serverMax) : serverMax;
}

/** Run `agent` on `prompt` and return its result; never throws for model or tool failures. */
export async function callAgent(deps: CallAgentDeps, req: CallAgentRequest): Promise<RunResult> {
  const { settings, logger } = deps;
  const runId = req.runId ?? randomUUID();
  const model = resolveModel(req.agent.model, { aliases: settings.modelAliases, defaultModel: settings.defaultModel });
  const toolbox = resolveToolbox({ tools: req.agent.tools, disallowedTools: req.agent.disallowedTools, available: deps.tools });
  const log = logger.child({ run_id: runId, agent: req.agent.name });

  if (deps.client instanceof ModelError) {
    const error = deps.client;
    log.warn({ kind: error.kind }, 'run refused: no model backend');
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
    client: deps.client,
    tools: toolbox.tools,
    roots,
    maxTurns: effectiveMaxTurns(req.agent, settings.maxTurns),
    maxTokens: settings.maxOutputTokens,
    signal: req.signal,
    warnings: toolbox.warnings,
    runId,
    ...(req.onEvent ? { onEvent: req.onEvent } : {}),
    ...effectiveLimits(req.agent, settings),
    ...(req.history ? { history: req.history } : {}),
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
