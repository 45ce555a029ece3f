/**
 * Locating and running the ripgrep binary, with bounded output.
 *
 * The binary comes from `@vscode/ripgrep` (≥ 1.17), which ships it inside per-platform npm packages
 * (`@vscode/ripgrep-linux-x64`, …, installed as optionalDependencies, like esbuild) rather than
 * downloading it in a postinstall script: `npm install` alone brings a working `rg`. When that package
 * is missing (an unsupported platform, `--omit=optional`), `rg` on PATH is used instead.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import path from 'node:path';
import { StringDecoder } from 'node:string_decoder';

/** How ripgrep's run ended. */
export interface RipgrepOutcome {
  /** rg's exit code: 0 = matches, 1 = no match, 2 = error; null when we stopped it. */
  exitCode: number | null;
  /** The start of rg's stderr (bounded). */
  stderr: string;
  /** True when `onLine` asked to stop and rg was killed. */
  stoppedEarly: boolean;
}

/** Options of {@link runRipgrep}. */
export interface RunRipgrepOptions {
  rgPath: string;
  args: readonly string[];
  signal: AbortSignal;
  /** Called for each stdout line; return false to stop reading and kill rg. */
  onLine(line: string): boolean;
}

/** Most stderr characters kept. */
const MAX_STDERR_CHARS = 4000;

let located: Promise<string | undefined> | undefined;

/**
 * The path of a usable `rg`: `@vscode/ripgrep`'s bundled binary, else `rg` on PATH, else undefined.
 * The lookup runs once per process.
 */
export function locateRipgrep(): Promise<string | undefined> {
  located ??= findRipgrep();
  return located;
}

async function findRipgrep(): Promise<string | undefined> {
  try {
    // Its index throws at import time when the platform package is absent, hence the dynamic import.
    const { rgPath } = await import('@vscode/ripgrep');
    if (await isExecutable(rgPath)) return rgPath;
  } catch {
    // fall through to PATH
  }
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir === '') continue;
    const candidate = path.join(dir, process.platform === 'win32' ? 'rg.exe' : 'rg');
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Run rg with `args`, feeding stdout to `onLine` line by line. rg gets an empty environment (it
 * needs none, and RIPGREP_CONFIG_PATH must not sneak in flags) and no stdin.
 * @throws the spawn error (for example ENOENT) or an AbortError when `signal` aborts.
 */
export function runRipgrep(options: RunRipgrepOptions): Promise<RipgrepOutcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(options.rgPath, options.args, { env: {}, stdio: ['ignore', 'pipe', 'pipe'], signal: options.signal });
    const decoder = new StringDecoder('utf8');
    let pending = '';
    let stderr = '';
    let stoppedEarly = false;

    const stop = (): void => {
      if (stoppedEarly) return;
      stoppedEarly = true;
      child.stdout.removeAllListeners('data');
      child.kill();
    };
    const feed = (text: string, final: boolean): void => {
      pending += text;
      let newline = pending.indexOf('\n');
      while (newline !== -1 && !stoppedEarly) {
        if (!options.onLine(pending.slice(0, newline))) stop();
        pending = pending.slice(newline + 1);
        newline = pending.indexOf('\n');
      }
      if (final && pending !== '' && !stoppedEarly) options.onLine(pending);
    };

    child.stdout.on('data', (chunk: Buffer) => feed(decoder.write(chunk), false));
    child.stderr.on('data', (chunk: Buffer) => {
      if (stderr.length < MAX_STDERR_CHARS) stderr += chunk.toString('utf8').slice(0, MAX_STDERR_CHARS - stderr.length);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (!stoppedEarly) feed(decoder.end(), true);
      resolve({ exitCode: stoppedEarly ? null : code, stderr: stderr.trim(), stoppedEarly });
    });
  });
}
