/**
 * Confining Bash with @anthropic-ai/sandbox-runtime (bubblewrap + a network proxy on Linux,
 * sandbox-exec on macOS). With the sandbox a command:
 * - may write only inside the run's workspace roots (plus the runtime's scratch `/tmp/claude`);
 *   inside them, the runtime still protects .git/hooks, .git/config, shell rc files and the like;
 * - may read the system (`/usr`, `/etc`, …) and the workspace, but not the home directory, `/root` or
 *   `/home` outside the workspace;
 * - has no network: every connection goes through the runtime's proxy, which allows no domain;
 * - sees only its own processes (a fresh PID namespace on Linux).
 *
 * The sandbox needs `bwrap` and `socat` on Linux (`apt-get install bubblewrap socat`); ripgrep comes
 * from the npm package Grep uses. Settings (`--bash-sandbox`):
 * - `auto` (default): use it when it works here, else run commands unconfined and say so at start;
 * - `require`: refuse to start when it does not work;
 * - `off`: never use it.
 * Without the sandbox, a command runs as the server's user with the workspace as its working directory:
 * the permission mode is then the only guard, and this is stated in Bash's description.
 */
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { locateRipgrep } from '../files/ripgrep.js';

/** Values of `--bash-sandbox`. */
export const BASH_SANDBOX_SETTINGS = ['auto', 'require', 'off'] as const;
/** A `--bash-sandbox` value. */
export type BashSandboxSetting = (typeof BASH_SANDBOX_SETTINGS)[number];

/** A working sandbox for shell commands. */
export interface CommandSandbox {
  /**
   * The shell command that runs `script` confined to `roots` (write) and the read rules; run it
   * with `/bin/bash -c`. Call {@link CommandSandbox.release} once the command has ended.
   */
  wrap(script: string, roots: readonly string[], signal: AbortSignal): Promise<string>;
  /** Tell the sandbox a wrapped command has ended (it tidies up once none is running). */
  release(): void;
  /** Stop the runtime's proxies. */
  close(): Promise<void>;
}

/** What {@link openBashSandbox} found. */
export interface BashSandboxStatus {
  sandbox?: CommandSandbox;
  /** One sentence for the log and the docs: which mode Bash runs in, and why. */
  note: string;
}

/** What {@link openBashSandbox} needs. */
export interface OpenBashSandboxOptions {
  setting: BashSandboxSetting;
  /** The configured workspace roots (real paths). */
  roots: readonly string[];
  homeDir: string;
}

/** `require` was asked for and the sandbox does not work here. */
export class SandboxUnavailableError extends Error {
  constructor(reason: string) {
    super(`--bash-sandbox require: the Bash sandbox does not work here: ${reason}`);
    this.name = new.target.name;
  }
}

/** The runtime is process-wide; one server opens it once. */
type SandboxRuntime = typeof import('@anthropic-ai/sandbox-runtime');

function fsRules(roots: readonly string[], homeDir: string): { denyRead: string[]; allowRead: string[]; allowWrite: string[]; denyWrite: string[] } {
  const denyRead = [...new Set([homeDir, '/root', '/home'])].filter((p) => p !== '/' && p !== '');
  return { denyRead, allowRead: [...roots], allowWrite: [...roots], denyWrite: [] };
}

/**
 * Set up the sandbox per `setting`. Never throws for `auto` or `off`.
 * @throws SandboxUnavailableError with `require` when it cannot run here.
 */
export async function openBashSandbox(options: OpenBashSandboxOptions): Promise<BashSandboxStatus> {
  if (options.setting === 'off') return { note: 'Bash runs without a sandbox (--bash-sandbox off).' };
  const unavailable = (reason: string): BashSandboxStatus => {
    if (options.setting === 'require') throw new SandboxUnavailableError(reason);
    return { note: `Bash runs without a sandbox: ${reason}.` };
  };
  let runtime: SandboxRuntime;
  try {
    runtime = await import('@anthropic-ai/sandbox-runtime');
  } catch (err) {
    return unavailable(`@anthropic-ai/sandbox-runtime could not be loaded (${err instanceof Error ? err.message : String(err)})`);
  }
  const manager = runtime.SandboxManager;
  if (!manager.isSupportedPlatform()) return unavailable(`the sandbox runtime does not support ${process.platform}`);
  const rgPath = await locateRipgrep();
  const ripgrep = { command: rgPath ?? 'rg' };
  const deps = manager.checkDependencies(ripgrep);
  if (deps.errors.length > 0) {
    return unavailable(`${deps.errors.join('; ')} (on Debian/Ubuntu: apt-get install bubblewrap socat)`);
  }
  try {
    await manager.initialize({
      network: { allowedDomains: [], deniedDomains: [] },
      filesystem: fsRules(options.roots, options.homeDir),
      ripgrep,
    });
  } catch (err) {
    return unavailable(`the sandbox runtime failed to start (${err instanceof Error ? err.message : String(err)})`);
  }
  const sandbox = createCommandSandbox(runtime, options.homeDir);
  const probe = await probeSandbox(sandbox, options.roots);
  if (probe !== undefined) {
    await sandbox.close();
    return unavailable(`a test command failed inside it (${probe})`);
  }
  return { sandbox, note: 'Bash runs in a sandbox: writes only inside the workspace, no network, home directory hidden.' };
}

function createCommandSandbox(runtime: SandboxRuntime, homeDir: string): CommandSandbox {
  const manager = runtime.SandboxManager;
  let running = 0;
  return {
    async wrap(script, roots, signal) {
      const wrapped = await manager.wrapWithSandbox(
        script,
        '/bin/bash',
        { filesystem: fsRules(roots, homeDir), network: { allowedDomains: [], deniedDomains: [] } },
        signal,
      );
      running++;
      return wrapped;
    },
    release() {
      running = Math.max(0, running - 1);
      // Clean-up removes mount points that other sandboxed commands may still be using.
      if (running === 0) manager.cleanupAfterCommand();
    },
    async close() {
      await manager.reset();
    },
  };
}

/** Run `true` in the sandbox; undefined when it worked, else what went wrong. */
async function probeSandbox(sandbox: CommandSandbox, roots: readonly string[]): Promise<string | undefined> {
  let command: string;
  try {
    command = await sandbox.wrap('true', roots, new AbortController().signal);
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
  try {
    return await new Promise<string | undefined>((resolve) => {
      let stderr = '';
      const child = spawn('/bin/bash', ['-c', command], { cwd: roots[0], stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr = (stderr + chunk.toString('utf8')).slice(-500);
      });
      child.on('error', (err) => resolve(err.message));
      child.on('close', (code) => resolve(code === 0 ? undefined : `exit ${code ?? 'by signal'}: ${stderr.trim() || 'no message'}`));
    });
  } finally {
    sandbox.release();
  }
}

/**
 * {@link openBashSandbox} on first use, for `auto`: opening takes a few hundred milliseconds (it
 * probes bubblewrap), which would otherwise delay every start-up and every run that never uses
 * Bash. The first `wrap` opens it; without a sandbox, commands run as they are. `ready` settles
 * with what the opening found (and opens it, when asked).
 */
export function openBashSandboxOnFirstUse(
  options: OpenBashSandboxOptions,
  onOpened?: (status: BashSandboxStatus) => void,
): { sandbox: CommandSandbox; ready: () => Promise<BashSandboxStatus> } {
  let opening: Promise<BashSandboxStatus> | undefined;
  const ready = (): Promise<BashSandboxStatus> =>
    (opening ??= openBashSandbox(options)
      .catch((err: unknown): BashSandboxStatus => ({ note: `Bash runs without a sandbox: ${err instanceof Error ? err.message : String(err)}.` }))
      .then((status) => {
        onOpened?.(status);
        return status;
      }));
  return {
    ready,
    sandbox: {
      wrap: async (script, roots, signal) => {
        const { sandbox } = await ready();
        return sandbox ? sandbox.wrap(script, roots, signal) : script;
      },
      // Only called after `wrap` settled, so the opening has too.
      release: () => void opening?.then(({ sandbox }) => sandbox?.release()),
      close: async () => (await opening)?.sandbox?.close(),
    },
  };
}

/**
 * On Linux, the sandbox's programs missing from `PATH` (bwrap, socat), found without loading the
 * runtime, so a server can say at start-up that its sandbox is off and why. Empty elsewhere.
 */
export function findMissingSandboxPrograms(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string[] {
  if (platform !== 'linux') return [];
  const dirs = (env['PATH'] ?? '').split(path.delimiter).filter((d) => d !== '');
  const found = (name: string): boolean =>
    dirs.some((dir) => {
      try {
        accessSync(path.join(dir, name), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
  return ['bwrap', 'socat'].filter((name) => !found(name));
}

/** What an unconfined Bash can reach, for the start-up warning (docs/permissions.md says the same). */
export const UNSANDBOXED_REACH =
  "commands run as the server's user: they can read what that user can read (including /proc/<server pid>/environ, where the API key lives; output is masked, not prevented), write anywhere that user can, and use the network";

/** What Bash's description says while the sandbox has not been opened yet. */
export const BACKGROUND_SANDBOX_NOTE = 'Bash may run in a sandbox: writing outside the workspace or using the network can fail.';
