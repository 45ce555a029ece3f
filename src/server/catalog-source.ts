/**
 * The agent folders as a CatalogSource: loaded once, then watched (unless told not to) so
 * the hub hears about every change. Nothing else in the server touches the disk for agents.
 */
import type { Catalog } from '../agents/catalog.js';
import { loadCatalog } from '../agents/catalog.js';
import { watchCatalog } from '../agents/watch.js';
import type { Logger } from '../log.js';
import type { CatalogSource } from './hub.js';

/** Open the folders; with `watch`, changes on disk reach subscribers within about a second. */
export async function openCatalogSource(options: { dirs: string[]; watch: boolean; logger: Logger }): Promise<CatalogSource> {
  const listeners: Array<(c: Catalog) => void> = [];
  const emit = (catalog: Catalog): void => {
    for (const l of listeners) l(catalog);
  };
  if (!options.watch) {
    const catalog = await loadCatalog(options.dirs);
    return { current: () => catalog, subscribe: (l) => void listeners.push(l), close: async () => undefined };
  }
  const watcher = await watchCatalog(options.dirs, {
    onChange: emit,
    onProblem: (p) => options.logger.warn({ file: p.file, line: p.line }, p.reason),
  });
  return { current: () => watcher.current(), subscribe: (l) => void listeners.push(l), close: () => watcher.close() };
}
