/**
 * prepareAndRun: one run of an agent, as the runner (or the CLI) makes it — guard the chain and
 * budget, resolve the model, the permitted tools and the system prompt from the definition and
 * the server's settings, then run the loop (loop.ts runLoop). Nested runs come back through here.
 */
import { randomUUID } from 'node:crypto';
import { resolveModel } from '../agents/models.js';
import type { AgentDefinition } from '../agents/definition.js';
import type { Logger } from '../log.js';
import { checkChain, DEFAULT_MAX_DEPTH, type ChainLink } from '../tools/delegation/chain.js';
import type { Tool } from '../tools/tool.js';
import { resolveToolbox } from '../tools/toolbox.js';
import type { UpstreamToolSource } from '../tools/upstream/tool-source.js';
import { deriveNestedContext, type CallContext, type CallEvent } from './call-context.js';
import { runLoop, type RunEvent } from './loop.js';
import { noRunResult, summarizeRun, type RunError, type RunResult } from './result.js';
import { ModelError, type ModelClient } from './model.js';
import type { NestedCall } from './nested-run.js';
import { assembleRunTools, type DelegationCatalog } from './run-tools.js';
import { DEFAULT_PERMISSION_MODE, resolveRunPermissionMode, type ServerPermissionMode } from '../tools/permissions/permission-mode.js';
import type { ProtectedPaths } from '../tools/permissions/protected-paths.js';
import { NO_REDACTION, type Redactor } from '../redact.js';
import { prepareAccess } from './prepare-access.js';
import { BUILTIN_PRICES, findPrice, PRICES_ENV, type PriceTable } from './prices.js';
import { planResume, type StoredRun } from './resume.js';
import { agentLimits } from './limits.js';
import { TreeBudget } from './run-budget.js';
import { buildSystemPrompt } from './system-prompt.js';

export interface RunSettings {
  defaultModel: string;
  modelAliases: Record<string, string>;
  maxTurns: number;
  maxOutputTokens: number;
  /** Real paths of the workspace roots; the first is the working directory. */
  roots: string[];
  /** How many agent runs may be on one delegation chain (default {@link DEFAULT_MAX_DEPTH}). */
  maxDepth?: number;
  /** Wall-clock limit per call in ms (an agent's `maxDurationSeconds` may lower it). */
  maxDurationMs?: number;
  /** Dollar cap per call (an agent's `maxCostUsd` may lower it). */
  maxCostUsd?: number;
  /** `--permission-mode`; default `default`. An agent's own permissionMode may only tighten it. */
  permissionMode?: ServerPermissionMode;
  /** `--allow-bash` patterns: commands that run without asking. */
  allowBash?: string[];
  /** Paths no mode but bypassPermissions writes without asking (agent folders, config files). */
  protectedPaths?: ProtectedPaths;
  /** The price table (`--prices FILE` over the built-in one); default the built-in one. */
  prices?: PriceTable;
}

export interface RunDeps {
  settings: RunSettings;
  /** Every tool the server offers; the agent's lists choose among these. */
  tools: Tool[];
  /** The model backend, or a ModelError explaining why there is none (e.g. no credentials). */
  client: ModelClient | ModelError;
  logger: Logger;
  now?: () => Date;
  /** Upstream MCP servers; absent = no mcp__ tools. */
  upstream?: UpstreamToolSource;
  /** The agents the Agent tool may start; absent = no delegation. */
  delegation?: DelegationCatalog;
  /** Masks the server's secrets in what a run sends to the model and returns; absent = nothing masked. */
  redactor?: Redactor;
}

/** How this run is made, beyond what the caller's context says. */
export interface RunSetup {
  /**
   * The model backend for this call, chosen per call by the server (e.g. MCP sampling on the
   * calling session); defaults to `deps.client`. Nested runs take the parent's, so a whole call
   * tree runs on one backend.
   */
  client?: ModelClient | ModelError;
  /** A model alias or id for this call only, over the agent's own (the Agent tool's `model`). */
  model?: string;
  /** The run's id, when the caller chose it (to record the run before it starts). */
  runId?: string;
  /** The stored run that `prompt` continues (resume), as the runner read it: its conversation, prefix and end. */
  resume?: StoredRun;
  /** The parent's budget when this is a nested run: this run may spend only what the parent has left. */
  budget?: TreeBudget;
}

/** Prepare the run of `ctx.agent` on `ctx.prompt`, run its loop and return its result; never throws for model or tool failures. */
export async function prepareAndRun(deps: RunDeps, ctx: CallContext, setup: RunSetup = {}): Promise<RunResult> {
  // A per-call backend (the calling session's sampling) takes the place of the shared one.
  if (setup.client) deps = { ...deps, client: setup.client };
  const req = { ...ctx, ...setup };
  const { settings, logger } = deps;
  const runId = req.runId ?? randomUUID();
  const model = resolveModel(req.model ?? req.agent.model, { aliases: settings.modelAliases, defaultModel: settings.defaultModel });
  const callers = req.chain ?? [];
  const log = logger.child({ run_id: runId, agent: req.agent.name, ...(callers.length > 0 ? { depth: callers.length + 1, parent_run_id: callers.at(-1)?.run_id } : {}) });

  const refusal = checkChain(callers, req.agent.name, settings.maxDepth ?? DEFAULT_MAX_DEPTH);
  if (refusal) {
    log.warn({ kind: refusal.kind, chain: callers.map((l) => l.agent) }, 'run refused by the delegation guard');
    return noRunResult({ runId, agent: req.agent.name, model, error: refusal });
  }
  if (req.budget?.exhausted()) {
    log.warn('nested run refused: the budget of its call tree is spent');
    return noRunResult({ runId, agent: req.agent.name, model, stopReason: 'max_cost', error: BUDGET_SPENT });
  }

  if (deps.client instanceof ModelError) {
    const error = deps.client;
    log.info({ kind: error.kind }, 'run refused: no model backend');
    return noRunResult({ runId, agent: req.agent.name, model, error: { kind: error.kind, message: error.message, advice: error.advice } });
  }

  const chain: ChainLink[] = [...callers, { agent: req.agent.name, run_id: runId }];
  const ownLimits = agentLimits(req.agent, settings);
  const budget = req.budget ? req.budget.nested(ownLimits) : new TreeBudget(ownLimits);
  const prices = settings.prices ?? BUILTIN_PRICES;
  if (budget.limits.maxCostUsd !== undefined && !findPrice(prices, model)) {
    log.warn({ model }, 'run refused: a dollar cap on a model without a price');
    return noRunResult({ runId, agent: req.agent.name, model, error: unknownPriceCap(model, budget.limits.maxCostUsd) });
  }
  const extra = await assembleRunTools({
    agent: req.agent,
    chain,
    signal: req.signal,
    mode: resolveRunPermissionMode(settings.permissionMode ?? DEFAULT_PERMISSION_MODE, req.agent.permissionMode).mode,
    maxDepth: settings.maxDepth ?? DEFAULT_MAX_DEPTH,
    ...(deps.upstream ? { upstream: deps.upstream } : {}),
    ...(deps.delegation ? { delegation: deps.delegation } : {}),
    call: (nested: NestedCall) =>
      // A nested run asks the same user and stays inside the same roots as its parent.
      prepareAndRun(deps, deriveNestedContext(ctx, { ...nested, ...(nested.onProgress ? { onEvent: progressOfNested(nested) } : {}) }), {
        ...(nested.model ? { model: nested.model } : {}),
        budget,
      }),
  });
  const toolbox = resolveToolbox({ tools: req.agent.tools, disallowedTools: req.agent.disallowedTools, available: [...deps.tools, ...extra.tools] });
  // Tools the agent lists that the server lacks are a fact about the agent file, reported once
  // (validate, agents://index, the catalog log), not in every result.
  if (toolbox.warnings.length > 0) log.debug({ warnings: toolbox.warnings }, 'listed tools not offered');
  const access = await prepareAccess({
    agent: req.agent,
    tools: toolbox.tools,
    workspaces: settings.roots,
    serverMode: settings.permissionMode,
    allowBash: settings.allowBash,
    protectedPaths: settings.protectedPaths,
    caller: ctx.caller ?? {},
    signal: req.signal,
    log,
  });
  const warnings = [...extra.warnings, ...access.warnings];
  if (!access.ok) {
    log.warn({ kind: access.error.kind }, 'run refused');
    return noRunResult({ runId, agent: req.agent.name, model, warnings, error: access.error });
  }
  const roots = access.roots;
  const system = buildSystemPrompt(req.agent.prompt, { cwd: roots[0]!, roots, now: (deps.now ?? (() => new Date()))() });
  const resume = setup.resume ? planResume(setup.resume, access.tools.flatMap((t) => (t.serverTool ? [t.serverTool] : []))) : undefined;
  if (resume) warnings.push(...resume.warnings);
  const effort = req.agent.effort;
  log.info({ model, tools: access.tools.map((t) => t.name), backend: deps.client.backend, permission_mode: access.mode }, 'run started');
  const redactor = deps.redactor ?? NO_REDACTION;
  // The answer too: a model that read a secret before it was masked (or guessed one) repeats it here.
  const result = redactor.deep(await runLoop({
    agentName: req.agent.name,
    redactor,
    system,
    prompt: req.prompt,
    model,
    requestedModel: req.model ?? req.agent.model,
    client: deps.client,
    tools: access.tools,
    withheldTools: access.withheld,
    roots,
    authorize: access.authorize,
    maxTokens: settings.maxOutputTokens,
    signal: req.signal,
    warnings,
    runId,
    // Progress and streamed text leave the process too (notifications, the terminal renderer).
    ...(req.onEvent ? { onEvent: (event: RunEvent) => req.onEvent?.(redactor.deep(event)) } : {}),
    toolContext: extra.toolContext,
    budget,
    prices,
    ...(effort ? { effort } : {}),
    ...(resume ? { history: resume.history, ...(resume.prefix ? { prefix: resume.prefix } : {}) } : {}),
    ...(req.checkpoints ? { checkpoints: req.checkpoints } : {}),
  }));
  result.delegations = extra.delegations;
  log.info(summarizeRun(result), 'run ended');
  return result;
}

/** A nested run's turns as progress of the Agent tool call that started it. */
function progressOfNested(nested: NestedCall): (event: CallEvent) => void {
  return (event) => {
    if (event.type === 'turn_start') nested.onProgress?.({ progress: event.turn, message: `${nested.agent.name}: turn ${event.turn}` });
  };
}

/** Why a run with a dollar cap on a model without a price does not start. */
function unknownPriceCap(model: string, capUsd: number): RunError {
  return {
    kind: 'unknown_price',
    message: `No price is known for model ${model}, so the dollar cap of $${capUsd} (--max-cost-usd or the agent's maxCostUsd) could not be kept; the run was not started.`,
    advice: `Add the model's price with --prices FILE (or ${PRICES_ENV}), give the agent a model the price table knows, or remove the dollar cap. See docs/caching.md.`,
  };
}

/** Why a nested run may not start when its call tree's budget is spent. */
const BUDGET_SPENT: RunError = {
  kind: 'budget_spent',
  message: 'The dollar budget of this call tree (--max-cost-usd or an agent\'s maxCostUsd) is already spent, so no nested run can start.',
  advice: 'Finish the task with what you have, without delegating.',
};
