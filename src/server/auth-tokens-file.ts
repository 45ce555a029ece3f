/**
 * `--auth-tokens FILE`: read and checked at start (a bad file stops the server, naming it), then
 * re-read whenever it changes, so adding or revoking a teammate needs no restart. An edit that
 * breaks the file keeps the last good tokens in force and says why; so does a file that vanishes
 * for a moment (editors and Kubernetes secret mounts replace files that way).
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { watch } from 'chokidar';
import { createPrincipalResolver, PrincipalTokensSchema, type PrincipalResolver, type PrincipalTokens } from './principals.js';

/** Quiet time after a change before the file is re-read; editors write in several steps. */
export const DEFAULT_AUTH_TOKENS_DEBOUNCE_MSEC = 100;
/**
 * chokidar drops a file's `change` events for 50 ms after it emitted one. A re-read that waits
 * longer than that sees every write made in that window, so no quick second save is missed.
 */
const MIN_DEBOUNCE_MSEC = 60;
/** A tokens file larger than this is a mistake (a few thousand principals fit in far less). */
export const MAX_AUTH_TOKENS_FILE_BYTES = 1024 * 1024;

/** The tokens file is missing, unreadable, not JSON, or breaks a rule; the message names the file. */
export class AuthTokensFileError extends Error {
  constructor(
    readonly file: string,
    /** What is wrong, without the file name. */
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`--auth-tokens ${file}: ${reason}`, options);
    this.name = new.target.name;
  }
}

/** Read and check the tokens file; throws an {@link AuthTokensFileError} that names it and never quotes a token. */
export async function readAuthTokensFile(file: string): Promise<PrincipalTokens> {
  return parseAuthTokens(file, await readBounded(file));
}

async function readBounded(file: string): Promise<string> {
  try {
    const info = await stat(file);
    if (!info.isFile()) throw new AuthTokensFileError(file, 'not a file');
    if (info.size > MAX_AUTH_TOKENS_FILE_BYTES) throw new AuthTokensFileError(file, `${info.size} bytes; at most ${MAX_AUTH_TOKENS_FILE_BYTES} are read`);
    return await readFile(file, 'utf8');
  } catch (error) {
    if (error instanceof AuthTokensFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new AuthTokensFileError(file, code === 'ENOENT' ? 'no such file' : `cannot read it (${code ?? String(error)})`, { cause: error });
  }
}

function parseAuthTokens(file: string, text: string): PrincipalTokens {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    // JSON.parse's message can quote the text around the error, which may be a token.
    throw new AuthTokensFileError(file, 'not valid JSON; expected {"<principal>": "<token>", …}', { cause: error });
  }
  const parsed = PrincipalTokensSchema.safeParse(json);
  if (!parsed.success) {
    const reasons = parsed.error.issues.map((issue) =>
      issue.code === 'custom' ? issue.message : `${issue.path.length > 0 ? `principal ${JSON.stringify(String(issue.path[0]))}: ` : ''}${issue.message}`,
    );
    const shape = parsed.error.issues.some((issue) => issue.code !== 'custom') ? ' (expected {"<principal>": "<token>", …})' : '';
    throw new AuthTokensFileError(file, `${reasons.join('; ')}${shape}`);
  }
  return parsed.data;
}

/** Options for {@link watchAuthTokensFile}. */
export interface WatchAuthTokensOptions {
  /** Called with the principals (names only) after a changed file was applied. */
  onChange?(principals: string[]): void;
  /** Called when a change could not be applied; the last good tokens stay in force. */
  onProblem(error: AuthTokensFileError): void;
  /** Default {@link DEFAULT_AUTH_TOKENS_DEBOUNCE_MSEC}; at least 60 (see MIN_DEBOUNCE_MSEC). */
  debounceMs?: number;
}

/** The tokens in force, kept current with the file. */
export interface AuthTokensWatcher {
  /** The principal an Authorization header names under the tokens now in force. */
  resolve: PrincipalResolver;
  /** The principals now in force, by name. */
  principals(): string[];
  close(): Promise<void>;
}

/**
 * Read `file` (throwing an {@link AuthTokensFileError} when it is bad, so start-up fails) and
 * keep its tokens current. Resolves once the watcher is ready, so a change made after that is seen.
 */
export async function watchAuthTokensFile(file: string, options: WatchAuthTokensOptions): Promise<AuthTokensWatcher> {
  const absolute = path.resolve(file);
  const first = await readBounded(absolute);
  const initial = parseAuthTokens(file, first);
  let resolver = createPrincipalResolver(initial);
  let names = Object.keys(initial);
  let lastSeen = fingerprint(first);
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let reading: Promise<void> = Promise.resolve();
  /** Said once per distinct problem: a folder's unrelated events re-read a still-missing file. */
  let lastProblem: string | undefined;

  const keepLastGood = (error: unknown): void => {
    const reason = error instanceof AuthTokensFileError ? error.reason : String(error);
    if (closed || reason === lastProblem) return;
    lastProblem = reason;
    options.onProblem(new AuthTokensFileError(file, `${reason}; still using the last good tokens`, { cause: error }));
  };

  const reload = async (): Promise<void> => {
    try {
      const text = await readBounded(absolute);
      const seen = fingerprint(text);
      if (seen === lastSeen || closed) return;
      lastSeen = seen;
      const tokens = parseAuthTokens(file, text);
      resolver = createPrincipalResolver(tokens);
      names = Object.keys(tokens);
      lastProblem = undefined;
    } catch (error) {
      keepLastGood(error);
      return;
    }
    options.onChange?.([...names]);
  };

  const schedule = (): void => {
    if (closed) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      reading = reading.then(reload);
    }, Math.max(options.debounceMs ?? DEFAULT_AUTH_TOKENS_DEBOUNCE_MSEC, MIN_DEBOUNCE_MSEC));
    timer.unref();
  };

  // The folder, not the file: a file replaced by rename (editors, secret mounts swapping a
  // symlinked folder) keeps being seen. Any event re-reads the file; unchanged content is ignored.
  const watcher = watch(path.dirname(absolute), { ignoreInitial: true, depth: 0 });
  watcher.on('all', schedule);
  watcher.on('error', (error: unknown) => keepLastGood(new AuthTokensFileError(file, `watching it failed (${error instanceof Error ? error.message : String(error)})`)));
  await new Promise<void>((resolve) => watcher.once('ready', () => resolve()));

  return {
    resolve: (authorization) => resolver(authorization),
    principals: () => [...names],
    async close() {
      closed = true;
      clearTimeout(timer);
      await watcher.close();
      await reading;
    },
  };
}

/** Compared instead of the text itself, so the file's tokens are not kept around in clear. */
function fingerprint(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
