/**
 * The hub keeps the current listings in step with the agent folders and tells every
 * listener when they change: each 2025 session, and the 2026 side of each transport.
 */
import type { Catalog } from '../agents/catalog.js';
import type { Logger } from '../log.js';
import { buildListings, type ListingOptions, type Listings } from './listings.js';

/** Where catalogs come from: a snapshot now, and changes later. */
export interface CatalogSource {
  current(): Catalog;
  /** Called with each new catalog after a change on disk. */
  subscribe(listener: (catalog: Catalog) => void): void;
  close(): Promise<void>;
}

export interface Hub {
  /** The current listings. @throws while the catalog is still loading (deferred-hub.ts). */
  listings(): Listings;
  /**
   * The current listings, or a promise of them while the catalog is loading: what list and call
   * handlers read, so that `initialize` and `server/discover` never wait for the catalog.
   */
  whenLoaded(): Listings | Promise<Listings>;
  /**
   * Call `onChange` after every catalog change (a 2025 session sends list_changed, a 2026 server
   * tells its subscriptions/listen streams); returns the detach function.
   */
  attach(onChange: () => void): () => void;
  close(): Promise<void>;
}

function logCatalog(logger: Logger, catalog: Catalog): void {
  for (const s of catalog.skipped) logger.warn({ file: s.file, line: s.line, reason: s.reason }, 'agent file skipped');
  for (const a of catalog.agents) for (const w of a.warnings) logger.debug({ file: w.file, line: w.line, reason: w.reason }, 'agent file warning');
  // The warnings themselves are at debug (and in agents://index, and `validate`); their count says to look.
  logger.info({ agents: catalog.agents.length, skipped: catalog.skipped.length, warnings: catalog.warningCount }, 'catalog loaded');
}

/** Create the hub over a catalog source. */
export function createHub(options: { source: CatalogSource; listing: ListingOptions; logger: Logger }): Hub {
  const { source, logger } = options;
  let listings = buildListings(source.current(), options.listing);
  logCatalog(logger, source.current());
  const listeners = new Set<() => void>();
  source.subscribe((catalog) => {
    listings = buildListings(catalog, options.listing);
    logCatalog(logger, catalog);
    for (const onChange of listeners) onChange();
  });
  return {
    listings: () => listings,
    whenLoaded: () => listings,
    attach(onChange) {
      listeners.add(onChange);
      return () => listeners.delete(onChange);
    },
    async close() {
      listeners.clear();
      await source.close();
    },
  };
}
