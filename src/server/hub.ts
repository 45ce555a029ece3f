/**
 * The hub keeps the current listings in step with the agent folders and tells every
 * connected session when they change. Stdio has one session, HTTP many; both attach here.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Catalog } from '../agents/catalog.js';
import type { Logger } from '../log.js';
import { buildListings, type ListingOptions, type Listings } from './listings.js';
import { notifyListChanged } from './publish.js';

/** Where catalogs come from: a snapshot now, and changes later. */
export interface CatalogSource {
  current(): Catalog;
  /** Called with each new catalog after a change on disk. */
  subscribe(listener: (catalog: Catalog) => void): void;
  close(): Promise<void>;
}

export interface Hub {
  listings(): Listings;
  /** Register a session's server for list_changed notifications; returns the detach function. */
  attach(server: Server): () => void;
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
  const servers = new Set<Server>();
  source.subscribe((catalog) => {
    listings = buildListings(catalog, options.listing);
    logCatalog(logger, catalog);
    for (const server of servers) void notifyListChanged(server);
  });
  return {
    listings: () => listings,
    attach(server) {
      servers.add(server);
      return () => servers.delete(server);
    },
    async close() {
      servers.clear();
      await source.close();
    },
  };
}
