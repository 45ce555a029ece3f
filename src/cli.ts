#!/usr/bin/env node
/**
 * The command line: flags and environment → Config, then `serve` (the default), `run`, `list` or
 * `validate`. Usage and configuration errors exit 2 naming the flag; anything else exits 1.
 */
import { readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import {
  DEFAULT_MAX_CONCURRENT_RUNS,
  DEFAULT_MAX_DURATION_SECONDS,
  DEFAULT_MAX_OUTPUT_TOKENS,
  DEFAULT_MAX_TURNS,
  DEFAULT_PROGRESS_INTERVAL_SECONDS,
  LOG_LEVELS,
  MODEL_BACKENDS,
  DEFAULT_MODEL_TIMEOUT_SEC,
  anthropicFromEnv,
  configSecrets,
  type Config,
} from './config.js';
import { createLogger } from './log.js';
import { shouldColor } from './cli/color.js';
import { agentDirsFrom, buildConfig, collect, readMcpServers, UsageError, type CommandSite, type ServeFlags } from './cli/config-from-flags.js';
import { PRICES_ENV } from './run/prices.js';
import { DEFAULT_MAX_DEPTH } from './tools/delegation/chain.js';
import { DEFAULT_RUN_LEASE_MS } from './server/run-lease.js';
import { BASH_SANDBOX_SETTINGS } from './tools/shell/bash-sandbox.js';
import { DEFAULT_PERMISSION_MODE, SERVER_PERMISSION_MODES } from './tools/permissions/permission-mode.js';
import {
  DEFAULT_HTTP_HOST,
  DEFAULT_HTTP_PATH,
  DEFAULT_HTTP_PORT,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_MAX_SESSIONS,
  DEFAULT_SESSION_IDLE_TIMEOUT_MSEC,
} from './http-config.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BUNDLED_AGENTS_DIR = path.resolve(here, '..', 'agents');
/** This process's command site: where relative flags resolve, and the agents of this build. */
const site = (): CommandSite => ({ env: process.env, cwd: process.cwd(), bundledDir: BUNDLED_AGENTS_DIR });
const VERSION = (JSON.parse(readFileSync(path.resolve(here, '..', 'package.json'), 'utf8')) as { version: string }).version;

function addRunOptions(cmd: Command): Command {
  return cmd
    .option('--agents <dir>', 'agent folder (repeatable; the first wins on duplicate names). Default: nearest .claude/agents, then ~/.claude/agents, else the bundled agents', collect)
    .option('--workspace <dir>', 'directory the file tools may touch (repeatable; default: the working directory)', collect)
    .option('--model <id>', 'model for agents with `model: inherit` (env AGENTS_MCP_MODEL); with `run`, for the agent whatever its own model')
    .option('--opus-model <id>', 'model id the `opus` alias means')
    .option('--sonnet-model <id>', 'model id the `sonnet` alias means')
    .option('--haiku-model <id>', 'model id the `haiku` alias means')
    .option('--fable-model <id>', 'model id the `fable` alias means')
    .option('--max-turns <n>', `turn limit per call (default ${DEFAULT_MAX_TURNS}; an agent's maxTurns may lower it)`)
    .option('--max-output-tokens <n>', `output-token cap per model turn (default ${DEFAULT_MAX_OUTPUT_TOKENS})`)
    .option('--model-timeout <seconds>', `longest wait on the model API, for a response to begin and between streamed events (default ${DEFAULT_MODEL_TIMEOUT_SEC})`)
    .addOption(new Option('--log-level <level>', 'log level on stderr (env LOG_LEVEL)').choices([...LOG_LEVELS]))
    .addOption(new Option('--model-backend <backend>', 'auto: Anthropic when credentials are set, else the calling client\'s model via MCP sampling; anthropic; sampling').choices([...MODEL_BACKENDS]).default('auto'))
    .option('--mcp-config <file>', 'mcp.json-style file of upstream MCP servers the agents may use (repeatable)', collect)
    .option('--allow-agent-mcp-servers', "let agents' own mcpServers entries start processes (only for agents whose tools name the server; never in plan mode)")
    .option('--max-depth <n>', `how many agent runs may be on one delegation chain (default ${DEFAULT_MAX_DEPTH})`)
    .option('--max-duration <seconds>', `wall-clock limit per call (default ${DEFAULT_MAX_DURATION_SECONDS}; an agent's maxDurationSeconds may lower it)`)
    .option('--max-cost-usd <usd>', "dollar cap per call (default none; an agent's maxCostUsd may lower it)")
    .option('--prices <file>', `JSON price file laid over the built-in price table (env ${PRICES_ENV}); see docs/caching.md`)
    .addOption(new Option('--permission-mode <mode>', 'what runs may do without asking: plan (read-only tools), default (edits and Bash ask), acceptEdits (edits allowed, Bash asks), bypassPermissions (everything)').choices([...SERVER_PERMISSION_MODES]).default(DEFAULT_PERMISSION_MODE))
    .option('--allow-bash <pattern>', "Bash command allowed without asking: a prefix ('npm test') or a glob ('git *') (repeatable)", collect)
    .addOption(new Option('--bash-sandbox <setting>', 'confine Bash with @anthropic-ai/sandbox-runtime: auto (when it works here), require, off').choices([...BASH_SANDBOX_SETTINGS]).default('auto'));
}

/** The options only a server has: what it publishes, how many runs at once, and the transport. */
function addServeOptions(cmd: Command): Command {
  return addRunOptions(cmd)
    .addOption(new Option('--tool-descriptions <mode>', 'compact: examples stripped, cut at a sentence; full: as written').choices(['compact', 'full']).default('compact'))
    .addOption(new Option('--expose <mode>', 'per-agent: one tool per agent; single: one delegate tool plus list_agents, whatever the number of agents').choices(['per-agent', 'single']).default('per-agent'))
    .option('--no-watch', 'do not watch agent folders for changes')
    .option('--max-concurrent-runs <n>', `runs at once; further calls wait in line (default ${DEFAULT_MAX_CONCURRENT_RUNS})`)
    .option('--runs-dir <dir>', 'also keep every run as <run_id>.json in this folder (default: in memory only)')
    .option('--store <url>', 'where run state lives: memory (this process; the default) or redis://host:port/db, shared by replicas (env AGENTS_MCP_STORE); see docs/team-server.md')
    .option('--run-lease <seconds>', `with --store redis://: how long a replica's hold on a run lasts unrenewed; runs of a replica that died go on elsewhere after this (default ${DEFAULT_RUN_LEASE_MS / 1000})`)
    .option('--progress-interval <seconds>', `most time between progress notifications while a run is busy (default ${DEFAULT_PROGRESS_INTERVAL_SECONDS})`)
    .addOption(new Option('--transport <kind>', 'stdio: one client that starts us; http: Streamable HTTP for many clients').choices(['stdio', 'http']).default('stdio'))
    .option('--host <address>', `http: interface to bind (default ${DEFAULT_HTTP_HOST}; anything but loopback needs a token)`)
    .option('--port <n>', `http: port (default ${DEFAULT_HTTP_PORT}; 0 = any free port, logged as "listening")`)
    .option('--path <path>', `http: where MCP is served (default ${DEFAULT_HTTP_PATH})`)
    .option('--stateless', 'http: no sessions; every request stands alone (for replicas behind a load balancer)')
    .option('--auth-token <token>', 'http: require "Authorization: Bearer <token>" (env AGENTS_MCP_AUTH_TOKEN, which keeps it out of `ps`)')
    .option('--auth-tokens <file>', 'http: JSON {"<principal>": "<token>", …}; each principal sees only its own runs and tasks; re-read when it changes')
    .option('--allowed-hosts <names>', 'http: comma-separated Host names to accept (default: localhost names when bound to loopback)')
    .option('--allowed-origins <origins>', 'http: comma-separated Origins to accept (default: origins on an allowed host)')
    .option('--max-sessions <n>', `http: cap on open sessions (default ${DEFAULT_MAX_SESSIONS})`)
    .option('--session-idle-timeout <seconds>', `http: close a session idle this long (default ${DEFAULT_SESSION_IDLE_TIMEOUT_MSEC / 1000})`)
    .option('--max-body-bytes <n>', `http: largest request body (default ${DEFAULT_MAX_BODY_BYTES})`);
}

/** `node /abs/dist/cli.js`: how a client (or the person) starts this very build again. */
function selfCommand(): string[] {
  const script = process.argv[1];
  if (script === undefined) return ['agents-mcp'];
  let real = script;
  try {
    real = realpathSync(script);
  } catch {
    // Keep the path as given.
  }
  return ['node', real];
}

/** On a terminal, say what this is and how to use it, on stderr (stdout carries MCP). */
async function printBanner(config: Config, explicitDirs: boolean): Promise<void> {
  const [{ formatBanner }, { loadCatalog }] = await Promise.all([import('./cli/banner.js'), import('./agents/catalog.js')]);
  const agentCount = await loadCatalog(config.agentDirs).then(
    (c) => c.agents.length,
    (err: unknown) => `agents unreadable (${err instanceof Error ? err.message : String(err)})`,
  );
  process.stderr.write(
    formatBanner({
      version: VERSION,
      command: selfCommand(),
      agentDirs: config.agentDirs,
      explicitDirs,
      bundled: config.agentDirs.length === 1 && config.agentDirs[0] === BUNDLED_AGENTS_DIR,
      agentCount,
      credentials: config.anthropic.apiKey ? 'ANTHROPIC_API_KEY' : config.anthropic.authToken ? 'ANTHROPIC_AUTH_TOKEN' : undefined,
      color: shouldColor(process.stderr),
    }),
  );
}

async function serve(flags: ServeFlags): Promise<void> {
  const config = buildConfig(flags, site());
  const secrets = configSecrets(config);
  const onTerminal = config.transport === 'stdio' && process.stdin.isTTY === true;
  if (onTerminal) await printBanner(config, Boolean(flags.agents?.length));
  // A person at a terminal reads the banner; the JSON log lines would only bury it.
  const logger = createLogger({ level: onTerminal && flags.logLevel === undefined && process.env['LOG_LEVEL'] === undefined ? 'warn' : config.logLevel, secrets });
  const { startServer } = await import('./server/start.js');
  await startServer({ config, logger, version: VERSION, toolDescriptions: flags.toolDescriptions ?? 'compact', expose: flags.expose ?? 'per-agent' });
}

async function run(agent: string, task: string, flags: ServeFlags & { json?: boolean }): Promise<number> {
  // The terminal is for the run: logs only when something is wrong, unless asked for.
  const config = buildConfig({ ...flags, logLevel: flags.logLevel ?? 'warn', watch: false }, site());
  const logger = createLogger({ level: config.logLevel, secrets: configSecrets(config) });
  const { runCommand } = await import('./cli/run-command.js');
  return runCommand({
    agent,
    task,
    config,
    logger,
    json: Boolean(flags.json),
    color: shouldColor(process.stdout),
    version: VERSION,
    ...(flags.model !== undefined ? { modelOverride: flags.model } : {}),
  });
}

/** What `list` and `validate` accept. */
interface CatalogFlags {
  agents?: string[];
  mcpConfig?: string[];
  json?: boolean;
  /** validate: report agents' own mcpServers as a server started with --allow-agent-mcp-servers would run them. */
  allowAgentMcpServers?: boolean;
}

/** The catalog as the server would serve it: with the warnings about tools no run would be offered. */
async function loadServedCatalog(flags: CatalogFlags) {
  // Not through server/start.js: listing a folder should not load the server.
  const [{ loadCatalog }, { OFFERED_TOOL_NAMES, withAgentServerWarnings, withUnavailableToolWarnings }, { withSamplingWebToolWarnings }] = await Promise.all([
    import('./agents/catalog.js'),
    import('./tools/tool-availability.js'),
    import('./run/sampling-web-tools.js'),
  ]);
  const dirs = agentDirsFrom(flags.agents, site());
  const upstreamServers = Object.keys(readMcpServers(flags.mcpConfig ?? [], process.env, process.cwd()));
  const offered = withUnavailableToolWarnings(await loadCatalog(dirs), OFFERED_TOOL_NAMES, { upstreamServers });
  // Without credentials, `auto` runs agents on the client's sampling, where web tools cannot run.
  const credentials = anthropicFromEnv(process.env);
  const withWeb = credentials.apiKey || credentials.authToken ? offered : withSamplingWebToolWarnings(offered);
  return withAgentServerWarnings(withWeb, { allowAgentServers: flags.allowAgentMcpServers === true });
}

/** How wide and colourful a table on stdout may be. */
function tableOptions(): { width?: number; color: boolean } {
  const width = process.stdout.isTTY ? process.stdout.columns : undefined;
  return { ...(width ? { width } : {}), color: shouldColor(process.stdout) };
}

async function list(flags: CatalogFlags): Promise<void> {
  const { formatAgentList } = await import('./cli/list-command.js');
  process.stdout.write(formatAgentList(await loadServedCatalog(flags), { json: Boolean(flags.json), ...tableOptions() }));
}

async function validate(flags: CatalogFlags): Promise<number> {
  const { formatValidateReport, validateExitCode } = await import('./cli/validate-report.js');
  const catalog = await loadServedCatalog(flags);
  process.stdout.write(formatValidateReport(catalog, { json: Boolean(flags.json), ...tableOptions() }));
  return validateExitCode(catalog);
}

/** The options of `list` and `validate`. */
function addCatalogOptions(cmd: Command): Command {
  return cmd
    .option('--agents <dir>', 'agent folder (repeatable)', collect)
    .option('--mcp-config <file>', 'upstream MCP servers, as for serving: their mcp__ tools then count as offered (repeatable)', collect)
    .option('--json', 'print JSON (every reason in full) instead of a table');
}

function createProgram(): Command {
  const program = new Command('agents-mcp')
    .description('Serve Claude Code agent definitions as MCP tools that run real sub-conversations.')
    .version(VERSION)
    .enablePositionalOptions()
    // After a mistake, a pointer to the help rather than all of it: the error and "Did you mean" stay in view.
    .showHelpAfterError('(add --help for the options)')
    .exitOverride();
  addServeOptions(program).action(serve);
  addServeOptions(program.command('serve').description('serve the agents over stdio or HTTP (the default command)')).action(serve);
  addRunOptions(program.command('run').argument('<agent>', 'agent name or tool name').argument('<task>', 'the task for the agent'))
    .description('run one agent on a task in the terminal, showing its turns, tool calls and cost')
    .option('--json', 'print only the result as one JSON object (the structuredContent of a tool call, plus `error` when it failed)')
    .action(async (agent: string, task: string, flags: ServeFlags & { json?: boolean }) => {
      process.exitCode = await run(agent, task, flags);
    });
  addCatalogOptions(program.command('list').description('list the agents that would be served: name, tool name, model, tools, warnings, source')).action(list);
  addCatalogOptions(program.command('validate').description('check agent files: one row per file with status, name, tool name, model, tools and reason'))
    .option('--allow-agent-mcp-servers', "report agents' own mcpServers as a server started with this flag would run them")
    .action(async (flags: CatalogFlags) => {
      process.exitCode = await validate(flags);
    });
  return program;
}

async function main(): Promise<void> {
  // `agents-mcp validate | head` closes our stdout early; that is not an error worth a stack.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw err;
  });
  try {
    await createProgram().parseAsync(process.argv);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'commander.helpDisplayed' || code === 'commander.version') return;
    if (typeof code === 'string' && code.startsWith('commander.')) {
      process.exitCode = 2;
      return;
    }
    if (err instanceof UsageError) {
      process.stderr.write(`agents-mcp: ${err.message}\n`);
      process.exitCode = 2;
      return;
    }
    process.stderr.write(`agents-mcp: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}

await main();
