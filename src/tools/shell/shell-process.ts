/**
 * One shell command as a process group: spawned detached (so it leads its own group), its stdout
 * and stderr interleaved into one stream of text, and the whole group killed on demand, on timeout
 * or when the command itself ends (nothing a command started outlives it; long-lived processes
 * belong in a background shell, which is killed when the run ends).
 *
 * File descriptor 3 is an extra pipe the wrapper script writes the final working directory to.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { setTimeout as delay } from 'node:timers/promises';

/** After the shell exits, how long its pipes may stay open (held by an escaped grandchild) before we stop reading. */
const DRAIN_AFTER_EXIT_MSEC = 1000;

/** Longest wait for the killed members of a group to be reaped after the shell has closed. */
const REAP_WAIT_MSEC = 5000;
/** How often to look whether they are. */
const REAP_POLL_MSEC = 20;

/** How a shell process ended. */
export interface ShellExit {
  /** Exit status, or null when killed by a signal. */
  code: number | null;
  signal: NodeJS.Signals | null;
  /** What the script wrote to file descriptor 3. */
  fd3: string;
}

/** A running shell command. */
export interface ShellProcess {
  /** The shell's pid, which is also its process group id. */
  readonly pgid: number;
  /** Settles once the shell has exited and its output is drained; rejects when it could not start. */
  readonly finished: Promise<ShellExit>;
  /** SIGKILL the whole process group. Safe to call at any time, any number of times. */
  kill(): void;
  /** True once the shell has exited. */
  readonly exited: boolean;
}

/** What {@link startShellProcess} needs. */
export interface ShellProcessOptions {
  /** Path of the shell, run as `shell -c script`. */
  shell: string;
  script: string;
  cwd: string;
  env: Record<string, string>;
  /** Each piece of stdout or stderr, decoded as UTF-8, in arrival order. */
  onOutput(text: string): void;
}

/** Send `signal` to every process of group `pgid`; false when the group is already gone. */
export function signalProcessGroup(pgid: number, signal: NodeJS.Signals | 0 = 'SIGKILL'): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch (err) {
    if (typeof err === 'object' && err !== null && 'code' in err && err.code === 'ESRCH') return false;
    throw err;
  }
}

/**
 * SIGKILL group `pgid` until no member is left (zombies included), at most `maxMs`; true when gone.
 * There is no event for "init reaped the orphans", so this looks every {@link REAP_POLL_MSEC} ms.
 */
export async function waitForGroupGone(pgid: number, maxMs: number): Promise<boolean> {
  if (pgid <= 0) return true;
  const deadline = Date.now() + maxMs;
  while (signalProcessGroup(pgid, 'SIGKILL')) {
    if (Date.now() >= deadline) return false;
    await delay(REAP_POLL_MSEC);
  }
  return true;
}

/** Groups started and not yet gone, so the server can stop them all when it shuts down. */
const liveGroups = new Set<number>();
let exitHookInstalled = false;

/**
 * SIGKILL every shell process group this process started that is still alive. The server calls
 * this when it shuts down (detached groups would otherwise outlive it); it also runs on exit.
 */
export function killAllShellProcesses(): void {
  for (const pgid of liveGroups) signalProcessGroup(pgid, 'SIGKILL');
}

/** Start `shell -c script` in a new process group. */
export function startShellProcess(options: ShellProcessOptions): ShellProcess {
  const child: ChildProcess = spawn(options.shell, ['-c', options.script], {
    cwd: options.cwd,
    env: options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  const pgid = child.pid ?? -1;
  if (pgid > 0) {
    liveGroups.add(pgid);
    if (!exitHookInstalled) {
      exitHookInstalled = true;
      process.once('exit', killAllShellProcesses);
    }
  }
  let exited = false;
  let fd3 = '';

  const pipe = (stream: Readable | null | undefined, sink: (text: string) => void): void => {
    if (!stream) return;
    const decoder = new StringDecoder('utf8');
    stream.on('data', (chunk: Buffer) => sink(decoder.write(chunk)));
    stream.on('end', () => {
      const rest = decoder.end();
      if (rest) sink(rest);
    });
    // A destroyed pipe (see below) may error; the exit status still tells what happened.
    stream.on('error', () => undefined);
  };
  pipe(child.stdout, options.onOutput);
  pipe(child.stderr, options.onOutput);
  pipe(child.stdio[3] as Readable | null | undefined, (text) => {
    fd3 += text;
  });

  const kill = (): void => {
    if (pgid > 0) signalProcessGroup(pgid, 'SIGKILL');
  };

  const finished = new Promise<ShellExit>((resolve, reject) => {
    let exit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    child.once('error', (err) => {
      if (pgid <= 0) reject(err);
    });
    child.once('exit', (code, signal) => {
      exited = true;
      exit = { code, signal };
      // Whatever the command left running in its group goes with it.
      kill();
      const timer = setTimeout(() => {
        for (const stream of child.stdio) stream?.destroy();
      }, DRAIN_AFTER_EXIT_MSEC);
      timer.unref();
      child.once('close', () => clearTimeout(timer));
    });
    child.once('close', (code, signal) => {
      const result = { ...(exit ?? { code, signal }), fd3 };
      // Killed members linger as zombies until init reaps them; settle once the group is really gone.
      void waitForGroupGone(pgid, REAP_WAIT_MSEC).then(() => {
        liveGroups.delete(pgid);
        resolve(result);
      });
    });
  });

  return {
    pgid,
    finished,
    kill,
    get exited() {
      return exited;
    },
  };
}
