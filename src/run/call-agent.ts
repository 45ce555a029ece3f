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
import type { ClientRoots } from '../tools/client-roots.js';
import type { AskUser } from '../tools/permission.js';
import type { ServerPermissionMode } from '../tools/permission-mode.js';
import { prepareAccess } from './prepare-access.js';
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
  /** `--permission-mode`; default `default`. An agent's own permissionMode may only tighten it. */
  permissionMode?: ServerPermissionMode;
  /** `--allow-bash` patterns: commands that run without asking. */
  allowBash?: string[];
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
  /** Asks the calling client's user for approval; absent when it cannot. */
  askUser?: AskUser | undefined;
  /** The calling client's MCP roots; the run is confined to them ∩ the workspace roots. */
  clientRoots?: ClientRoots | undefined;
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
  const runId = randomUUID();
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

  const access = await prepareAccess({
    agent: req.agent,
    tools: toolbox.tools,
    workspaces: settings.roots,
    serverMode: settings.permissionMode,
    allowBash: settings.allowBash,
    askUser: req.askUser,
    clientRoots: req.clientRoots,
    signal: req.signal,
    log,
  });
  const warnings = [...toolbox.warnings, ...access.warnings];
  if (!access.ok) {
    log.warn({ kind: access.error.kind }, 'run refused');
    return { answer: '', runId, agent: req.agent.name, model, backend: 'none', stopReason: 'error', turns: 0, usage: emptyUsage(), costUsd: 0, durationMs: 0, warnings, error: access.error };
  }
  const roots = access.roots;
  const system = buildSystemPrompt(req.agent.prompt, { cwd: roots[0]!, roots, now: (deps.now ?? (() => new Date()))() });
  log.info({ model, tools: access.tools.map((t) => t.name), backend: deps.client.backend, permission_mode: access.mode }, 'run started');
  const result = await runAgent({
    agentName: req.agent.name,
    system,
    prompt: req.prompt,
    model,
    client: deps.client,
    tools: access.tools,
    roots,
    authorize: access.authorize,
    maxTurns: effectiveMaxTurns(req.agent, settings.maxTurns),
    maxTokens: settings.maxOutputTokens,
    signal: req.signal,
    warnings,
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
