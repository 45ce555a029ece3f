/**
 * Keeping a catalog current while files change. Per-file results are kept, so an event
 * re-reads only the files it names; the catalog itself is rebuilt in memory.
 */

import { statSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';
import { buildCatalog, type Catalog, type CatalogEntry, type LoadCatalogOptions, type SkippedFile } from './catalog.js';
import type { Problem } from './definition.js';
import { loadAgentFile } from './load-file.js';
import { DEFAULT_LOAD_CONCURRENCY, isAgentFileName, listAgentFiles, locateInDirs, mapWithConcurrency } from './scan.js';

/** Quiet time before a burst of file events is applied; editors write a file in several steps. */
export const DEFAULT_WATCH_DEBOUNCE_MSEC = 150;

/**
 * How long after the first load the watcher starts. Getting ready costs it a stat and a watch
 * per file (about a quarter second of CPU at 3,000 files on a busy 2-core machine); waiting
 * lets a client's first requests (initialize, tools/list, …) be answered without that
 * competition. Nothing is missed meanwhile: once ready, it catches up with every change.
 */
export const DEFAULT_WATCH_START_DELAY_MSEC = 500;

/** Options for {@link watchCatalog}. */
export interface WatchCatalogOptions extends LoadCatalogOptions {
  /** Called with the new catalog after each burst of changes has been applied. */
  onChange(catalog: Catalog): void;
  /** Called for each file an edit broke, each watcher error, and an `onChange` that threw. */
  onProblem?(problem: Problem): void;
  /** Default {@link DEFAULT_WATCH_DEBOUNCE_MSEC}. */
  debounceMs?: number;
  /** Default {@link DEFAULT_WATCH_START_DELAY_MSEC}. */
  startDelayMs?: number;
}

/** A live catalog. */
export interface CatalogWatcher {
  /** The catalog as of the last applied change. */
  current(): Catalog;
  /** Stop watching; resolves once pending work has finished. No `onChange` is called after it. */
  close(): Promise<void>;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function isUnder(file: string, dir: string): boolean {
  return file === dir || file.startsWith(dir + path.sep);
}

/** What a file looked like when it was last read; a different stamp means it changed since. */
function stampOf(file: string): string {
  try {
    const s = statSync(file);
    return `${s.ino}:${s.size}:${s.mtimeMs}:${s.ctimeMs}`;
  } catch {
    return 'missing';
  }
}

/**
 * Load `dirs` like {@link loadCatalog} and keep the result current: adding, editing or removing
 * an `.md` file updates the catalog and calls `onChange` (events are debounced, so the call comes
 * well within a second). An edit that breaks a previously good agent keeps serving the last good
 * version, with a warning on it and the file listed in `skipped`. A folder that vanishes empties
 * its part of the catalog; it does not stop the watcher. Resolves once the first catalog is
 * loaded; the watcher gets ready after that, and a change made before it was ready is then
 * found by comparing each file with what was read (so it is published too, as a change).
 */
export async function watchCatalog(dirs: readonly string[], options: WatchCatalogOptions): Promise<CatalogWatcher> {
  const roots = [...new Set(dirs.map((dir) => path.resolve(dir)))];
  const concurrency = options.concurrency ?? DEFAULT_LOAD_CONCURRENCY;
  const debounceMs = options.debounceMs ?? DEFAULT_WATCH_DEBOUNCE_MSEC;
  const entries = new Map<string, CatalogEntry>();
  const folderProblems = new Map<string, SkippedFile>();
  const pending = new Set<string>();
  /** Per file, its {@link stampOf} just before it was last read. */
  const stamps = new Map<string, string>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  const report = (problem: Problem): void => {
    try {
      options.onProblem?.(problem);
    } catch {
      // A failing logger must not take the watcher down.
    }
  };

  /** Re-read some files; the previous good version is kept for a broken edit. */
  const loadFiles = async (files: readonly string[]): Promise<void> => {
    await mapWithConcurrency(files, concurrency, async (file) => {
      const where = locateInDirs(file, roots);
      if (where === undefined) return;
      // Stamped before the read: an edit racing the read shows as a changed stamp later.
      stamps.set(file, stampOf(file));
      const result = await loadAgentFile(file, options.cache ? { cache: options.cache } : {});
      const previous = entries.get(file)?.lastGood;
      const lastGood = result.kind === 'agent' ? result.agent : result.broken ? previous : undefined;
      entries.set(file, { file, ...where, result, ...(lastGood ? { lastGood } : {}) });
      if (result.kind === 'skipped' && result.broken) report({ file, reason: result.reason, ...(result.line ? { line: result.line } : {}) });
    });
  };

  /** List a folder (a root or a folder that appeared) and load the files not known yet; forget vanished ones. */
  const rescan = async (dir: string, reloadKnown: boolean): Promise<void> => {
    const listing = await listAgentFiles(dir);
    const found = new Set(listing.ok ? listing.files : []);
    for (const file of entries.keys()) {
      if (isUnder(file, dir) && !found.has(file)) {
        entries.delete(file);
        stamps.delete(file);
      }
    }
    if (roots.includes(dir)) {
      if (listing.ok) folderProblems.delete(dir);
      else folderProblems.set(dir, { file: dir, reason: listing.reason, broken: true });
      // chokidar does not always report a deleted root (unlinkDir) and never its return, so
      // whenever a root is found missing, watch its parent for it.
      if (!listing.ok && (await stat(dir).catch(() => undefined)) === undefined) awaitReturn(dir);
    }
    await loadFiles([...found].filter((file) => reloadKnown || !entries.has(file)));
  };

  const applyChange = async (target: string): Promise<void> => {
    const info = await stat(target).catch(() => undefined);
    if (roots.includes(target) || info?.isDirectory()) return rescan(target, false);
    if (info === undefined) {
      // Gone: a file, or a folder with everything under it.
      for (const file of entries.keys()) {
        if (isUnder(file, target)) {
          entries.delete(file);
          stamps.delete(file);
        }
      }
      // When a whole root is removed, its files' events can arrive a batch before the root's
      // own; check the root now so the catalog never shows it empty but present.
      const root = roots.find((r) => isUnder(target, r));
      if (root !== undefined && (await stat(root).catch(() => undefined)) === undefined) await rescan(root, false);
      return;
    }
    if (isAgentFileName(target)) await loadFiles([target]);
  };

  let catalog: Catalog = buildCatalog([]);
  // Batches run one after another (the first is the initial load), so they never interleave.
  let queue: Promise<void> = Promise.resolve();
  const flush = (): void => {
    timer = undefined;
    const batch = [...pending];
    pending.clear();
    queue = queue.then(async () => {
      if (closed) return;
      for (const target of batch) await applyChange(target);
      if (closed) return;
      catalog = buildCatalog(entries.values(), [...folderProblems.values()]);
      options.cache?.saveSoon();
      try {
        options.onChange(catalog);
      } catch (error) {
        report({ file: roots.join(', '), reason: `onChange failed: ${describe(error)}` });
      }
    }).catch((error: unknown) => report({ file: roots.join(', '), reason: `could not apply a change: ${describe(error)}` }));
  };
  /** Set once the watcher is ready and has caught up; events before that only collect in `pending`. */
  let loaded = false;
  const startTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(flush, debounceMs);
  };
  const schedule = (target: string): void => {
    if (closed) return;
    pending.add(path.resolve(target));
    if (loaded) startTimer();
  };

  let watcher: FSWatcher | undefined;
  // chokidar stops watching a root that is deleted and does not reliably see it come back, so
  // while a root is missing its parent is watched (one level deep) for the root's return.
  const parentWatchers = new Map<string, FSWatcher>();
  const awaitReturn = (root: string): void => {
    if (closed || parentWatchers.has(root)) return;
    const parent = watch(path.dirname(root), { ignoreInitial: true, depth: 0, ignored: (p) => p !== root && p !== path.dirname(root) });
    parentWatchers.set(root, parent);
    const returned = (): void => {
      if (closed || parentWatchers.get(root) !== parent) return;
      parentWatchers.delete(root);
      void parent.close();
      // Before the watcher starts (its start delay), it will watch the root anyway.
      watcher?.add(root);
      schedule(root);
    };
    parent.on('addDir', (dir) => {
      if (path.resolve(dir) === root) returned();
    });
    // A root recreated before this watcher's first scan is "initial" to it and raises no
    // addDir (ignoreInitial), so look once the scan is done.
    parent.once('ready', () => {
      void stat(root).then((info) => info.isDirectory() && returned(), () => undefined);
    });
    parent.on('error', () => undefined);
  };

  // Load first, so the first catalog waits neither for the watcher nor for its start delay.
  queue = (async () => {
    for (const root of roots) await rescan(root, true);
    catalog = buildCatalog(entries.values(), [...folderProblems.values()]);
    options.cache?.saveSoon();
  })();
  await queue;

  /**
   * Once the watcher is ready: whatever changed since the load (a file added, removed or
   * edited, a folder appearing or vanishing) is scheduled like an event, then events flow.
   */
  const catchUp = async (): Promise<void> => {
    for (const root of roots) {
      const listing = await listAgentFiles(root);
      const found = listing.ok ? listing.files : [];
      const known = [...entries.keys()].filter((file) => isUnder(file, root));
      const sameFolderState = listing.ok ? !folderProblems.has(root) : folderProblems.get(root)?.reason === listing.reason;
      const sameFiles = found.length === known.length && found.every((file) => entries.has(file));
      if (!sameFolderState || !sameFiles) schedule(root);
    }
    for (const file of entries.keys()) if (stamps.get(file) !== stampOf(file)) schedule(file);
  };

  const startWatching = (): FSWatcher => {
    const fsWatcher = watch(roots, {
      ignoreInitial: true,
      // Like the loader: symlinked folders are not followed, so loops cannot form.
      followSymlinks: false,
      ignored: (file, stats) => stats?.isFile() === true && !isAgentFileName(file),
    });
    fsWatcher.on('all', (event, file) => {
      if (event === 'unlinkDir' && roots.includes(path.resolve(file))) {
        fsWatcher.unwatch(file);
        awaitReturn(path.resolve(file));
      }
      if (event === 'addDir' || event === 'unlinkDir' || isAgentFileName(file)) schedule(file);
    });
    fsWatcher.on('error', (error: unknown) => report({ file: roots.join(', '), reason: `watching failed: ${describe(error)}` }));
    fsWatcher.once('ready', () => {
      queue = queue
        .then(async () => {
          if (closed) return;
          await catchUp();
          loaded = true;
          if (pending.size > 0) startTimer();
        })
        .catch((error: unknown) => report({ file: roots.join(', '), reason: `could not catch up with changes: ${describe(error)}` }));
    });
    return fsWatcher;
  };
  const startDelay = setTimeout(() => {
    if (!closed) watcher = startWatching();
  }, options.startDelayMs ?? DEFAULT_WATCH_START_DELAY_MSEC);

  return {
    current: () => catalog,
    close: async () => {
      closed = true;
      clearTimeout(startDelay);
      if (timer !== undefined) clearTimeout(timer);
      await Promise.all([watcher?.close(), ...[...parentWatchers.values()].map((w) => w.close())]);
      await queue;
      options.cache?.save();
    },
  };
}
