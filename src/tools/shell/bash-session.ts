/**
 * A run's shell state: the working directory that carries over from one Bash call to the next, and
 * the background shells the run started (read with BashOutput, stopped with TaskStop, all killed
 * when the run ends).
 */
import type { UnreadBuffer } from './output-buffer.js';
import type { RunScopeKey } from '../run-scope.js';
import type { ShellExit, ShellProcess } from './shell-process.js';

/** Most background shells one run may have at once. */
export const MAX_BACKGROUND_SHELLS = 8;

/** A shell started with `run_in_background`. */
export interface BackgroundShell {
  id: string;
  command: string;
  process: ShellProcess;
  output: UnreadBuffer;
  /** Set once it has ended. */
  exit?: ShellExit;
  /** Set when TaskStop (or the end of the run) killed it. */
  killed: boolean;
}

/** The shell state of one run. */
export interface BashSession {
  /** The working directory for the next command; undefined until the first command (then the first root). */
  cwd: string | undefined;
  readonly shells: Map<string, BackgroundShell>;
  /** The next background shell id (`bash_1`, `bash_2`, …). */
  nextShellId(): string;
}

/** The run's shell state; ending the run kills every background shell it still has. */
export const BASH_SESSION: RunScopeKey<BashSession> = {
  name: 'bash session',
  create(scope) {
    let counter = 0;
    const session: BashSession = {
      cwd: undefined,
      shells: new Map(),
      nextShellId: () => `bash_${++counter}`,
    };
    scope.onEnd(async () => {
      const running = [...session.shells.values()].filter((s) => s.exit === undefined);
      for (const shell of running) {
        shell.killed = true;
        shell.process.kill();
      }
      await Promise.allSettled(running.map((s) => s.process.finished));
    });
    return session;
  },
};

/** One-line status of a background shell, for BashOutput and TaskStop. */
export function describeShellStatus(shell: BackgroundShell): string {
  if (shell.exit === undefined) return shell.killed ? 'killed' : 'running';
  if (shell.killed) return 'killed';
  if (shell.exit.code !== null) return `completed (exit code ${shell.exit.code})`;
  return `ended by signal ${shell.exit.signal ?? 'unknown'}`;
}
