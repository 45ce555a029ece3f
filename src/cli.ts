#!/usr/bin/env node
/**
 * The command line: flags and environment → Config, then `serve` (the default) or `validate`.
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Command, Option } from 'commander';
import { resolveAgentDirs } from './agents/discover.js';
import { DEFAULT_MODEL, DEFAULT_MODEL_ALIASES } from './agents/models.js';
import { ConfigSchema, DEFAULT_MAX_OUTPUT_TOKENS, DEFAULT_MAX_TURNS, LOG_LEVELS, anthropicFromEnv, type Config } from './config.js';
import { createLogger } from './log.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const BUNDLED_AGENTS_DIR = path.resolve(here, '..', 'agents');
const VERSION = (JSON.parse(readFileSync(path.resolve(here, '..', 'package.json'), 'utf8')) as { version: string }).version;

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

interface ServeFlags {
  agents?: string[];
  workspace?: string[];
  model?: string;
  opusModel?: string;
  sonnetModel?: string;
  haikuModel?: string;
  maxTurns?: string;
  maxOutputTokens?: string;
  logLevel?: string;
  watch: boolean;
  toolDescriptions: 'compact' | 'full';
  expose: 'per-agent' | 'single';
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** Flags + environment → a validated Config. */
export function buildConfig(flags: ServeFlags, env: NodeJS.ProcessEnv, cwd: string): Config {
  const agentDirs = flags.agents?.length
    ? flags.agents.map((d) => path.resolve(cwd, d))
    : resolveAgentDirs({ cwd, home: os.homedir(), bundledDir: BUNDLED_AGENTS_DIR });
  const candidate = {
    agentDirs,
    workspaces: (flags.workspace?.length ? flags.workspace : [cwd]).map((d) => path.resolve(cwd, d)),
    defaultModel: flags.model ?? env['AGENTS_MCP_MODEL'] ?? DEFAULT_MODEL,
    modelAliases: {
      ...DEFAULT_MODEL_ALIASES,
      ...(flags.opusModel ? { opus: flags.opusModel } : {}),
      ...(flags.sonnetModel ? { sonnet: flags.sonnetModel } : {}),
      ...(flags.haikuModel ? { haiku: flags.haikuModel } : {}),
    },
    maxTurns: positiveInt('--max-turns', flags.maxTurns, DEFAULT_MAX_TURNS),
    maxOutputTokens: positiveInt('--max-output-tokens', flags.maxOutputTokens, DEFAULT_MAX_OUTPUT_TOKENS),
    logLevel: flags.logLevel ?? env['LOG_LEVEL'] ?? 'info',
    anthropic: anthropicFromEnv(env),
    watch: flags.watch,
  };
  const parsed = ConfigSchema.safeParse(candidate);
  if (!parsed.success) throw new UsageError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  return parsed.data;
}

function addServeOptions(cmd: Command): Command {
  return cmd
    .option('--agents <dir>', 'agent folder (repeatable; the first wins on duplicate names). Default: nearest .claude/agents, then ~/.claude/agents, else the bundled agents', collect)
    .option('--workspace <dir>', 'directory the file tools may touch (repeatable; default: the working directory)', collect)
    .option('--model <id>', 'model for agents with `model: inherit` (env AGENTS_MCP_MODEL)')
    .option('--opus-model <id>', 'model id the `opus` alias means')
    .option('--sonnet-model <id>', 'model id the `sonnet` alias means')
    .option('--haiku-model <id>', 'model id the `haiku` alias means')
    .option('--max-turns <n>', `turn limit per call (default ${DEFAULT_MAX_TURNS}; an agent's maxTurns may lower it)`)
    .option('--max-output-tokens <n>', `output-token cap per model turn (default ${DEFAULT_MAX_OUTPUT_TOKENS})`)
    .addOption(new Option('--tool-descriptions <mode>', 'compact: examples stripped, cut short; full: as written').choices(['compact', 'full']).default('compact'))
    .addOption(new Option('--expose <mode>', 'per-agent: one tool per agent; single: one delegate tool plus list_agents, whatever the number of agents').choices(['per-agent', 'single']).default('per-agent'))
    .addOption(new Option('--log-level <level>', 'log level on stderr (env LOG_LEVEL)').choices([...LOG_LEVELS]))
    .option('--no-watch', 'do not watch agent folders for changes');
}

async function serve(flags: ServeFlags): Promise<void> {
  const config = buildConfig(flags, process.env, process.cwd());
  const secrets = [config.anthropic.apiKey, config.anthropic.authToken].filter((s): s is string => Boolean(s));
  const logger = createLogger({ level: config.logLevel, secrets });
  const { startServer } = await import('./server/start.js');
  await startServer({ config, logger, version: VERSION, toolDescriptions: flags.toolDescriptions, expose: flags.expose });
}

async function validate(flags: { agents?: string[]; json?: boolean }): Promise<number> {
  const { loadCatalog } = await import('./agents/catalog.js');
  const { formatValidateReport, validateExitCode } = await import('./agents/validate-report.js');
  const cwd = process.cwd();
  const dirs = flags.agents?.length ? flags.agents.map((d) => path.resolve(cwd, d)) : resolveAgentDirs({ cwd, home: os.homedir(), bundledDir: BUNDLED_AGENTS_DIR });
  const catalog = await loadCatalog(dirs);
  process.stdout.write(formatValidateReport(catalog, { json: Boolean(flags.json) }));
  return validateExitCode(catalog);
}

function createProgram(): Command {
  const program = new Command('agents-mcp')
    .description('Serve Claude Code agent definitions as MCP tools that run real sub-conversations.')
    .version(VERSION)
    .enablePositionalOptions()
    .showHelpAfterError()
    .exitOverride();
  addServeOptions(program).action(serve);
  addServeOptions(program.command('serve').description('serve the agents over stdio (the default command)')).action(serve);
  program
    .command('validate')
    .description('check agent files: one row per file with status, name, tool name, model, tools and reason')
    .option('--agents <dir>', 'agent folder (repeatable)', collect)
    .option('--json', 'print JSON instead of a table')
    .action(async (flags: { agents?: string[]; json?: boolean }) => {
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
