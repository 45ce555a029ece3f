/**
 * The agent folders as a CatalogSource: loaded once, then watched (unless told not to) so
 * the hub hears about every change. Nothing else in the server touches the disk for agents.
 */
import type { Catalog } from '../agents/catalog.js';
import { loadCatalog } from '../agents/catalog.js';
import { watchCatalog } from '../agents/watch.js';
import type { Logger } from '../log.js';
import type { CatalogSource } from './hub.js';

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
  if (!options.watch) {
    const catalog = annotate(await loadCatalog(options.dirs));
    return { current: () => catalog, subscribe: (l) => void listeners.push(l), close: async () => undefined };
  }
  const watcher = await watchCatalog(options.dirs, {
    onChange: emit,
    onProblem: (p) => options.logger.warn({ file: p.file, line: p.line }, p.reason),
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
