/**
 * The 2026-07-28 leg of the HTTP server (SDK v2): one handler, a fresh server per request; list
 * changes reach subscriptions/listen; task subscriptions are served by task-listen.ts, which the
 * SDK's router would drop. Its modules are loaded at start (before the catalog), the leg itself
 * on the first request that may be 2026 traffic.
 */
import type { ServerResponse } from 'node:http';
import type { NodeMcpRequestHandler } from '@modelcontextprotocol/node';
import type { Server as ModernServer } from '@modelcontextprotocol/server';
import type { Logger } from '../log.js';
import type { Hub } from './hub.js';
import type { LiveRuns } from './live-runs.js';

export interface HttpModernLeg {
  isLegacy: (probe: Request, body: unknown) => Promise<boolean>;
  handle: NodeMcpRequestHandler;
  /** Serve a subscriptions/listen naming task ids (true); the SDK's router would drop them. */
  serveTaskListen: (body: unknown, principal: string, res: ServerResponse) => boolean;
  close: () => Promise<void>;
}

export interface HttpModernLegOptions {
  hub: Hub;
  /** The 2026 server factory (modern-leg.ts). */
  loadModern: () => Promise<(hub: Hub) => ModernServer>;
  live?: LiveRuns;
  logger: Logger;
  maxBodyBytes: number;
}

/** Build the leg over `options.hub`. */
export async function openHttpModernLeg(options: HttpModernLegOptions): Promise<HttpModernLeg> {
  const { hub: h, logger, live } = options;
  const [{ createMcpHandler, isLegacyRequest }, { toNodeHandler }, { createHttpTaskListens }, createModernServer] = await Promise.all([
    import('@modelcontextprotocol/server'),
    import('@modelcontextprotocol/node'),
    import('./task-listen.js'),
    options.loadModern(),
  ]);
  const taskListens = live ? createHttpTaskListens({ live, onListChanged: (listener) => h.attach(listener) }) : undefined;
  const handler = createMcpHandler(() => createModernServer(h), {
    legacy: 'reject',
    onerror: (err) => logger.debug({ err: err.message }, 'request refused by the MCP transport'),
  });
  h.attach(() => {
    handler.notify.toolsChanged();
    handler.notify.resourcesChanged();
    handler.notify.promptsChanged();
  });
  return {
    // A body the classifier chokes on is refused by the 2025 transport, as before.
    isLegacy: (probe, body) => isLegacyRequest(probe, body).catch(() => true),
    handle: toNodeHandler(handler, { maxRequestBodySize: options.maxBodyBytes }),
    serveTaskListen: (body, principal, res) => taskListens?.serve(body, principal, res) ?? false,
    close: () => {
      taskListens?.closeAll();
      return handler.close();
    },
  };
}
