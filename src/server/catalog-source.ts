/**
 * The agent folders as a CatalogSource: loaded once, then watched (unless told not to) so
 * the hub hears about every change. Nothing else in the server touches the disk for agents.
 */
import os from 'node:os';
import path from 'node:path';
import type { Catalog } from '../agents/catalog.js';
import { loadCatalog } from '../agents/catalog.js';
import { openParseCache, parseCacheFile, type ParseCache } from '../agents/parse-cache.js';
import { watchCatalog } from '../agents/watch.js';
import type { Logger } from '../log.js';
import type { CatalogSource } from './hub.js';

/** The parse cache for these folders (AGENTS_MCP_CACHE_DIR, XDG_CACHE_HOME; AGENTS_MCP_PARSE_CACHE=off turns it off). */
function openCache(dirs: readonly string[], logger: Logger): ParseCache | undefined {
  const file = parseCacheFile({ roots: dirs.map((d) => path.resolve(d)), env: process.env, homeDir: os.homedir() });
  return file === undefined ? undefined : openParseCache({ file, onProblem: (reason) => logger.warn(reason) });
}

/** What {@link openCatalogSource} reads and how. */
export interface CatalogSourceOptions {
  dirs: string[];
  watch: boolean;
  logger: Logger;
  /** Applied to every catalog before it is served, e.g. to add the warnings about tools no run is offered. */
  annotate?: (catalog: Catalog) => Catalog;
}

/** Open the folders; with `watch`, changes on disk reach subscribers within about a second. */
export async function openCatalogSource(options: CatalogSourceOptions): Promise<CatalogSource> {
  const annotate = options.annotate ?? ((c: Catalog) => c);
  const listeners: Array<(c: Catalog) => void> = [];
  const emit = (catalog: Catalog): void => {
    const annotated = annotate(catalog);
    for (const l of listeners) l(annotated);
  };
  const cache = openCache(options.dirs, options.logger);
  if (!options.watch) {
    const catalog = annotate(await loadCatalog(options.dirs, cache ? { cache } : {}));
    cache?.saveSoon();
    return { current: () => catalog, subscribe: (l) => void listeners.push(l), close: async () => cache?.save() };
  }
  const watcher = await watchCatalog(options.dirs, {
    onChange: emit,
    onProblem: (p) => options.logger.warn({ file: p.file, line: p.line }, p.reason),
    ...(cache ? { cache } : {}),
  });
  // Annotate each catalog the watcher holds once, however often it is asked for.
  let seen: { raw: Catalog; annotated: Catalog } | undefined;
  const current = (): Catalog => {
    const raw = watcher.current();
    if (seen?.raw !== raw) seen = { raw, annotated: annotate(raw) };
    return seen.annotated;
  };
  return { current, subscribe: (l) => void listeners.push(l), close: () => watcher.close() };
}
