/**
 * `agents-mcp run AGENT "task"`: the same sub-conversation a tool call runs (prepareAndRun, the
 * one code path), shown live in the terminal, or as one JSON object with `--json`.
 */
import { loadCatalog } from '../agents/catalog.js';
import type { AgentDefinition } from '../agents/definition.js';
import { findAgent } from '../agents/find-agent.js';
import { resolveModel } from '../agents/models.js';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { prepareAndRun } from '../run/prepare-and-run.js';
import type { RunResult } from '../run/result.js';
import { annotateCatalog, createRunDeps, openServerTools } from '../runtime.js';
import { BUILTIN_PRICES, findPrice, unknownPriceWarning } from '../run/prices.js';
import { hasCredentials } from '../run/anthropic.js';
import { createUpstreamPool } from '../tools/upstream/pool.js';
import { toStructuredContent } from '../server/tool-result.js';
import { shouldColor } from './color.js';
import { createRunRenderer } from './run-renderer.js';
import { createTerminalAskUser } from './terminal-ask.js';

export interface RunCommandOptions {
  agent: string;
  task: string;
  config: Config;
  logger: Logger;
  json: boolean;
  color: boolean;
  version: string;
  /** `--model` as given on the command line: it wins over the agent's own `model:`. */
  modelOverride?: string;
}

/** Exit status for a finished run: 0 answered, 1 failed, 130 cancelled (as for SIGINT). */
export function exitCodeFor(result: RunResult): number {
  switch (result.stopReason) {
    case 'end_turn':
    case 'stop_sequence':
    case 'max_turns':
      return 0;
    case 'cancelled':
      return 130;
    default:
      return 1;
  }
}

/** How the model was chosen, when `--model` overrode what the agent asks for; undefined otherwise. */
export function describeModelChoice(agent: Pick<AgentDefinition, 'model'>, override: string | undefined): string | undefined {
  if (override === undefined) return undefined;
  return agent.model === 'inherit' ? '(--model)' : `(--model, over the agent's ${agent.model})`;
}

/** Run the command; resolves with the process exit code. */
export async function runCommand(options: RunCommandOptions): Promise<number> {
  const { config } = options;
  if (config.modelBackend === 'sampling') {
    process.stderr.write('agents-mcp: run has no MCP client to sample from; set ANTHROPIC_API_KEY and use --model-backend auto or anthropic.\n');
    return 2;
  }
  const catalog = annotateCatalog(config)(await loadCatalog(config.agentDirs));
  const agent = findAgent(catalog.agents, options.agent);
  if (!agent) {
    const names = catalog.agents.map((a) => a.toolName).join(', ') || '(none)';
    process.stderr.write(`agents-mcp: no agent named "${options.agent}" in ${config.agentDirs.join(', ')}. Agents: ${names}\n`);
    return 2;
  }

  const controller = new AbortController();
  // The first Ctrl-C cancels the run cleanly (same path as an MCP cancellation); a second one quits.
  const onSigint = (): void => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort(new Error('cancelled by Ctrl-C'));
  };
  process.on('SIGINT', onSigint);

  const renderer = options.json
    ? undefined
    : createRunRenderer({ out: process.stdout, err: process.stderr, color: options.color, interactive: Boolean(process.stderr.isTTY) && !process.env['CI'] });
  const serverTools = await openServerTools(config, options.logger, { background: false });
  const pool = createUpstreamPool({ logger: options.logger, clientInfo: { name: 'agents-mcp', version: options.version } });
  const model = resolveModel(options.modelOverride ?? agent.model, { aliases: config.modelAliases, defaultModel: config.defaultModel });
  const modelNote = describeModelChoice(agent, options.modelOverride);
  // A run that reaches the model carries this warning itself (loop.ts); one refused for want of a
  // key never gets there, so say it here, where a typo'd id is cheapest to catch.
  if (!hasCredentials(config.anthropic) && !findPrice(config.prices ?? BUILTIN_PRICES, model)) {
    process.stderr.write(`agents-mcp: warning: ${unknownPriceWarning(model)}\n`);
  }
  renderer?.header(agent.name, modelNote ? `${model} ${modelNote}` : model, agent.warnings.length);
  try {
    const deps = createRunDeps(config, options.logger, { pool, catalog: () => catalog.agents, tools: serverTools.tools });
    // On a terminal, permission questions become a y/a/N prompt; without one, the run gets the refusal.
    const interactive = Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY);
    const askUser = interactive ? createTerminalAskUser({ input: process.stdin, output: process.stderr, beforeAsk: () => renderer?.stop(), color: shouldColor(process.stderr) }) : undefined;
    const result = await prepareAndRun(deps, {
      agent,
      prompt: options.task,
      signal: controller.signal,
      ...(askUser ? { caller: { askUser, asks: 'terminal' as const } } : {}),
      ...(renderer ? { onEvent: (e) => renderer.onEvent(e) } : {}),
    }, options.modelOverride !== undefined ? { model: options.modelOverride } : {});
    if (renderer) renderer.summary(result, modelNote);
    else {
      // Scripts read stdout; a person reading stderr should still learn why a run failed.
      if (result.error) process.stderr.write(`agents-mcp: ${result.error.message}\n${result.error.advice}\n`);
      process.stdout.write(`${JSON.stringify({ ...toStructuredContent(result), ...(result.error ? { error: result.error } : {}) })}\n`);
    }
    return exitCodeFor(result);
  } finally {
    renderer?.stop();
    process.off('SIGINT', onSigint);
    await pool.close();
    await serverTools.close();
  }
}
