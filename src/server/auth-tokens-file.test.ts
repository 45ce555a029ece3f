import { mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AuthTokensFileError, readAuthTokensFile, watchAuthTokensFile, type AuthTokensWatcher } from './auth-tokens-file.js';

const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef00';
const CAROL = 'carol-token-0123456789abcdef';

let dir: string;
let file: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'auth-tokens-'));
  file = path.join(dir, 'tokens.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('readAuthTokensFile', () => {
  it('reads principal → token', async () => {
    await writeFile(file, JSON.stringify({ alice: ALICE, bob: BOB }));
    expect(await readAuthTokensFile(file)).toEqual({ alice: ALICE, bob: BOB });
  });

  it.each([
    ['{"alice": "' + ALICE + '", "bob": "' + ALICE + '"}', /principals "alice" and "bob" have the same token/],
    ['{"alice": ""}', /principal "alice": the token is empty/],
    ['{"alice": 12345678901234567890}', /principal "alice": .*expected string/i],
    ['["' + ALICE + '"]', /expected record/i],
    ['{"alice": "' + ALICE + '",}', /not valid JSON; expected \{"<principal>": "<token>", …\}/],
  ])('refuses %s naming the file and the flag, quoting no token', async (content, why) => {
    await writeFile(file, content);
    const error = await readAuthTokensFile(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthTokensFileError);
    expect((error as Error).message).toContain(`--auth-tokens ${file}: `);
    expect((error as Error).message).toMatch(why);
    expect((error as Error).message).not.toContain(ALICE);
  });

  it('refuses a missing file', async () => {
    await expect(readAuthTokensFile(file)).rejects.toThrow(`--auth-tokens ${file}: no such file`);
  });
});

describe('watchAuthTokensFile', () => {
  let watcher: AuthTokensWatcher | undefined;
  afterEach(async () => {
    await watcher?.close();
    watcher = undefined;
  });

  /** Start watching; the returned functions wait for the next change or problem it reports. */
  async function start() {
    const changes: string[][] = [];
    const problems: AuthTokensFileError[] = [];
    const waiters: Array<() => void> = [];
    const notify = (): void => {
      for (const w of waiters.splice(0)) w();
    };
    watcher = await watchAuthTokensFile(file, {
      onChange: (principals) => {
        changes.push(principals);
        notify();
      },
      onProblem: (error) => {
        problems.push(error);
        notify();
      },
    });
    const next = (): Promise<void> => new Promise((resolve) => waiters.push(resolve));
    return { changes, problems, next, watcher };
  }

  it('applies an edited file without a restart: a new principal is let in, a removed one is not', async () => {
    await writeFile(file, JSON.stringify({ alice: ALICE, bob: BOB }));
    const { changes, next, watcher } = await start();
    expect(watcher.resolve(`Bearer ${BOB}`)).toBe('bob');
    const applied = next();
    await writeFile(file, JSON.stringify({ alice: ALICE, carol: CAROL }));
    await applied;
    expect(changes).toEqual([['alice', 'carol']]);
    expect(watcher.resolve(`Bearer ${CAROL}`)).toBe('carol');
    expect(watcher.resolve(`Bearer ${BOB}`)).toBeUndefined();
    expect(watcher.principals()).toEqual(['alice', 'carol']);
  });

  it('applies a file replaced by rename, as editors and secret mounts do', async () => {
    await writeFile(file, JSON.stringify({ alice: ALICE }));
    const { next, watcher } = await start();
    const applied = next();
    const temporary = path.join(dir, '.tokens.json.tmp');
    await writeFile(temporary, JSON.stringify({ bob: BOB }));
    await rename(temporary, file);
    await applied;
    expect(watcher.resolve(`Bearer ${BOB}`)).toBe('bob');
    expect(watcher.resolve(`Bearer ${ALICE}`)).toBeUndefined();
  });

  it('keeps the last good tokens through a bad edit, says why once, and applies the fix', async () => {
    await writeFile(file, JSON.stringify({ alice: ALICE }));
    const { problems, next, watcher } = await start();
    let reported = next();
    await writeFile(file, JSON.stringify({ alice: ALICE, bob: ALICE }));
    await reported;
    expect(problems.map((p) => p.message)).toEqual([
      `--auth-tokens ${file}: principals "alice" and "bob" have the same token; give each its own; still using the last good tokens`,
    ]);
    expect(watcher.resolve(`Bearer ${ALICE}`)).toBe('alice');
    reported = next();
    await writeFile(file, JSON.stringify({ alice: ALICE, bob: BOB }));
    await reported;
    expect(watcher.resolve(`Bearer ${BOB}`)).toBe('bob');
    expect(problems).toHaveLength(1);
  });

  it('a second save right after the first is not missed (chokidar drops change events for 50 ms)', async () => {
    await writeFile(file, JSON.stringify({ alice: ALICE }));
    const { changes, next, watcher } = await start();
    await writeFile(file, JSON.stringify({ bob: BOB }));
    await writeFile(file, JSON.stringify({ carol: CAROL }));
    while (changes.at(-1)?.[0] !== 'carol') await next();
    expect(watcher.resolve(`Bearer ${CAROL}`)).toBe('carol');
    expect(watcher.resolve(`Bearer ${BOB}`)).toBeUndefined();
  });

  it('keeps the last good tokens while the file is gone', async () => {
    await writeFile(file, JSON.stringify({ alice: ALICE }));
    const { problems, next, watcher } = await start();
    const reported = next();
    await unlink(file);
    await reported;
    expect(problems[0]!.message).toBe(`--auth-tokens ${file}: no such file; still using the last good tokens`);
    expect(watcher.resolve(`Bearer ${ALICE}`)).toBe('alice');
  });

  it('fails to start on a bad file, naming it', async () => {
    await writeFile(file, '{}');
    await expect(watchAuthTokensFile(file, { onProblem: () => {} })).rejects.toThrow(`--auth-tokens ${file}: no principals`);
  });
});
