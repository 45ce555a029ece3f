/**
 * Bash: Claude Code's shell tool. Each command runs in `bash -c` as its own process group, with
 * an allow-listed environment, no stdin, and the run's working directory (which a `cd` changes for
 * the following commands of the same run, never outside the workspace). A timeout or a cancelled run
 * kills the whole group; output beyond the cap keeps its start and end with a note in between.
 * `run_in_background` starts a shell that BashOutput reads and TaskStop stops; the run's end stops
 * it too. Every command is put to `ctx.authorize` first.
 */
import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { z } from 'zod';
import type { CommandSandbox } from './bash-sandbox.js';
import { BASH_SESSION, MAX_BACKGROUND_SHELLS, type BackgroundShell, type BashSession } from './bash-session.js';
import { createChildEnv } from './child-env.js';
import { defineTool } from '../define-tool.js';
import { HeadTailBuffer, UnreadBuffer } from './output-buffer.js';
import { checkPermission } from '../permissions/check-permission.js';
import { requireScope } from '../run-scope.js';
import { startShellProcess, type ShellExit } from './shell-process.js';
import type { LocalTool, ToolContext, ToolResult } from '../tool.js';
import { textResult } from '../tool.js';
import { DEFAULT_MAX_OUTPUT_CHARS } from '../tool-output.js';
import { createWorkspace, isInsideWorkspace, type Workspace } from '../files/workspace.js';

/** Timeout when the model gives none. */
export const DEFAULT_BASH_TIMEOUT_MSEC = 120_000;
/** Longest timeout the model may ask for. */
export const MAX_BASH_TIMEOUT_MSEC = 600_000;
/** Longest command accepted, in characters. */
export const MAX_COMMAND_CHARS = 100_000;

const bashInputSchema = z.object({
  command: z
    .string()
    .min(1)
    .max(MAX_COMMAND_CHARS)
    .refine((c) => !c.includes('\0'), 'must not contain a NUL byte')
    .describe('The command to execute'),
  timeout: z
    .number()
    .int()
    .min(1)
    .max(MAX_BASH_TIMEOUT_MSEC)
    .optional()
    .describe(`Optional timeout in milliseconds (max ${MAX_BASH_TIMEOUT_MSEC})`),
  description: z.string().max(1000).optional().describe('Clear, concise description of what this command does in 5-10 words'),
  run_in_background: z.boolean().optional().describe('Set to true to run this command in the background. Use BashOutput to read the output later.'),
});

/** Options of {@link createBashTool}. */
export interface BashToolOptions {
  /** Confines commands when set (see bash-sandbox.ts). */
  sandbox?: CommandSandbox;
  /** One sentence on what commands can reach, for the tool description. */
  sandboxNote?: string;
  /** Shell to run commands with. Default `/bin/bash`, else `/bin/sh`. */
  shell?: string;
  /** The commands' environment. Default {@link createChildEnv} of the server's environment. */
  env?: Record<string, string>;
  /** Cap on the output returned, in characters. Default {@link DEFAULT_MAX_OUTPUT_CHARS}. */
  maxOutputChars?: number;
  /** Default {@link DEFAULT_BASH_TIMEOUT_MSEC}. */
  defaultTimeoutMs?: number;
}

function describeTool(maxOutputChars: number, defaultTimeoutMs: number, sandboxNote: string | undefined): string {
  return `Executes a bash command and returns its output (stdout and stderr, interleaved).
- The working directory starts at the workspace root and persists between commands of this task (a \`cd\` carries over), but never leaves the workspace.
- Timeout: ${defaultTimeoutMs / 1000} s by default, up to ${MAX_BASH_TIMEOUT_MSEC / 1000} s with \`timeout\` (milliseconds). A command that times out is killed with every process it started.
- Output over ${maxOutputChars} characters is cut in the middle.
- There is no stdin: interactive commands (editors, prompts, pagers waiting for input) will not work.
- Processes a command leaves running are stopped when it ends; start servers and watchers with run_in_background, read them with BashOutput, stop them with TaskStop.
- Prefer Read, Grep, Glob and Edit over cat, grep, find and sed.
- Commands may need the user's approval, depending on the server's permission mode.${sandboxNote ? `\n- ${sandboxNote}` : ''}`;
}

/** Wrap the command so the shell reports its final working directory on fd 3 (hidden from the command). */
export function buildBashScript(command: string): string {
  const quoted = `'${command.replace(/'/g, `'\\''`)}'`;
  return `eval ${quoted} 3>&-\n__agents_mcp_status=$?\npwd -P >&3 2>/dev/null\nexit $__agents_mcp_status\n`;
}

/** Create the Bash tool. */
export function createBashTool(options: BashToolOptions = {}): LocalTool {
  const maxOutputChars = options.maxOutputChars ?? DEFAULT_MAX_OUTPUT_CHARS;
  const defaultTimeoutMs = options.defaultTimeoutMs ?? DEFAULT_BASH_TIMEOUT_MSEC;
  const shell = options.shell ?? (existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh');
  const env = options.env ?? createChildEnv();
  return defineTool({
    name: 'Bash',
    description: describeTool(maxOutputChars, defaultTimeoutMs, options.sandboxNote),
    schema: bashInputSchema,
    kind: 'execute',
    async execute(input, ctx) {
      const session = requireScope(ctx, 'Bash').get(BASH_SESSION);
      const ws = await createWorkspace(ctx.roots);
      const { cwd, note } = await currentDirectory(session, ws);
      const refusal = await checkPermission(ctx, {
        kind: 'bash',
        tool: 'Bash',
        command: input.command,
        cwd,
        ...(input.description === undefined ? {} : { description: input.description }),
      });
      if (refusal) return refusal;
      const run = { shell, env, cwd, ws, sandbox: options.sandbox, maxOutputChars };
      if (input.run_in_background === true) return startBackground(input.command, session, run, ctx);
      const result = await runForeground({ ...run, command: input.command, timeoutMs: input.timeout ?? defaultTimeoutMs, session, ctx });
      return note === undefined ? result : appendNote(result, note);
    },
  });
}

interface RunSettings {
  shell: string;
  env: Record<string, string>;
  cwd: string;
  ws: Workspace;
  sandbox: CommandSandbox | undefined;
  maxOutputChars: number;
}

/** The directory the next command starts in: the session's, unless it is gone or outside. */
async function currentDirectory(session: BashSession, ws: Workspace): Promise<{ cwd: string; note?: string }> {
  const root = ws.roots[0]!;
  if (session.cwd === undefined) return { cwd: root };
  const isDir = await stat(session.cwd).then((s) => s.isDirectory(), () => false);
  if (isDir && isInsideWorkspace(ws, session.cwd)) return { cwd: session.cwd };
  session.cwd = root;
  return { cwd: root, note: `Shell cwd was reset to ${root} (the previous directory no longer exists).` };
}

async function spawnShell(command: string, run: RunSettings, signal: AbortSignal, onOutput: (text: string) => void) {
  const script = buildBashScript(command);
  const wrapped = run.sandbox ? await run.sandbox.wrap(script, run.ws.roots, signal) : script;
  try {
    return startShellProcess({ shell: run.shell, script: wrapped, cwd: run.cwd, env: run.env, onOutput });
  } catch (err) {
    run.sandbox?.release();
    throw err;
  }
}

async function runForeground(args: RunSettings & { command: string; timeoutMs: number; session: BashSession; ctx: ToolContext }): Promise<ToolResult> {
  const { ctx } = args;
  const output = new HeadTailBuffer(args.maxOutputChars);
  const proc = await spawnShell(args.command, args, ctx.signal, (text) => output.append(text));
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    proc.kill();
  }, args.timeoutMs);
  const onAbort = (): void => proc.kill();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  let exit: ShellExit;
  try {
    exit = await proc.finished;
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
    args.sandbox?.release();
  }
  if (ctx.signal.aborted) return textResult('Bash: cancelled; the command and every process it started were killed.', true);
  const text = output.length === 0 ? '' : output.text();
  if (timedOut) {
    return textResult(`${text}${text ? '\n' : ''}Command timed out after ${formatSeconds(args.timeoutMs)} and was killed, with every process it started.`, true);
  }
  const cwdNote = updateDirectory(args.session, args.ws, exit.fd3);
  let body = text === '' ? '(no output)' : text;
  if (exit.code !== 0) body += exit.code === null ? `\nKilled by signal ${exit.signal ?? 'unknown'}` : `\nExit code ${exit.code}`;
  if (cwdNote !== undefined) body += `\n${cwdNote}`;
  return textResult(body, exit.code !== 0);
}

/** Take the directory the shell ended in, if it is inside the workspace; else say it was reset. */
function updateDirectory(session: BashSession, ws: Workspace, fd3: string): string | undefined {
  const reported = fd3.split('\n').filter((line) => line !== '').at(-1);
  if (reported === undefined) return undefined;
  if (isInsideWorkspace(ws, reported)) {
    session.cwd = reported;
    return undefined;
  }
  session.cwd = ws.roots[0];
  return `Shell cwd was reset to ${ws.roots[0]} (the command ended in ${reported}, outside the workspace).`;
}

function startBackground(command: string, session: BashSession, run: RunSettings, ctx: ToolContext): Promise<ToolResult> {
  const running = [...session.shells.values()].filter((s) => s.exit === undefined).length;
  if (running >= MAX_BACKGROUND_SHELLS) {
    return Promise.resolve(
      textResult(`Bash: ${running} background shells are already running, the most one task may have; stop one with TaskStop first.`, true),
    );
  }
  const id = session.nextShellId();
  const output = new UnreadBuffer(run.maxOutputChars);
  // The shell outlives this call: it is not tied to the call's signal; the run's end stops it (bash-session.ts).
  return spawnShell(command, run, ctx.signal, (text) => output.append(text)).then((proc) => {
    const shell: BackgroundShell = { id, command, process: proc, output, killed: false };
    session.shells.set(id, shell);
    proc.finished.then(
      (exit) => {
        shell.exit = exit;
      },
      (err: unknown) => {
        output.append(`\n[the shell failed: ${err instanceof Error ? err.message : String(err)}]`);
        shell.exit = { code: null, signal: null, fd3: '' };
      },
    ).finally(() => run.sandbox?.release());
    return textResult(
      `Command running in background with ID: ${id}. Read its output with BashOutput (bash_id "${id}") and stop it with TaskStop (task_id "${id}"); it is stopped when this task ends.`,
    );
  });
}

function appendNote(result: ToolResult, note: string): ToolResult {
  const last = result.content.at(-1);
  if (last?.type !== 'text') return result;
  return { ...result, content: [...result.content.slice(0, -1), { type: 'text', text: `${last.text}\n${note}` }] };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
