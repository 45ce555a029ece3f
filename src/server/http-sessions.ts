/**
 * The open Streamable HTTP sessions: one MCP Server and transport each, found by the
 * Mcp-Session-Id header, owned by the principal that opened it, capped in number, and closed
 * after a spell with no open request. At the cap, the session idle longest makes room for a new
 * client: clients that vanish without a DELETE (`claude -p`, the Inspector CLI) never lock others out.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '../log.js';

export interface HttpSession {
  readonly id: string;
  readonly server: Server;
  readonly transport: StreamableHTTPServerTransport;
  /** Who opened it: only requests of the same principal reach it. */
  readonly principal: string;
}

export interface SessionRegistry {
  /** Open sessions. */
  readonly size: number;
  /**
   * Hold a place for a session about to be opened. At the cap (counting places already held) the
   * session idle longest is closed to make room; false only when every session has a request under
   * way. Every true must be matched by one {@link SessionRegistry.unreserve}.
   */
  reserve(): boolean;
  unreserve(): void;
  /** Register an initialized session and start its idle clock. */
  add(session: HttpSession): void;
  get(id: string): HttpSession | undefined;
  /** Forget a session (its server has closed). */
  remove(id: string): void;
  /** Count `res` (an HTTP response) as activity: the idle clock stops until it closes. */
  track(session: HttpSession, res: ClosingResponse): void;
  /** Close every session's server (which removes it). */
  closeAll(): Promise<void>;
}

/** The one thing the registry needs of a response: to hear when it closes. */
export interface ClosingResponse {
  once(event: 'close', listener: () => void): unknown;
}

interface Entry {
  session: HttpSession;
  openRequests: number;
  idleTimer: NodeJS.Timeout | undefined;
  /** When its last request ended (or it opened): the longest idle is closed first at the cap. */
  idleSince: number;
}

/** Create an empty registry. */
export function createSessionRegistry(options: { maxSessions: number; idleTimeoutMs: number; logger: Logger }): SessionRegistry {
  const { maxSessions, idleTimeoutMs, logger } = options;
  const entries = new Map<string, Entry>();
  let reserved = 0;

  const armIdle = (entry: Entry): void => {
    clearTimeout(entry.idleTimer);
    entry.idleSince = Date.now();
    entry.idleTimer = setTimeout(() => {
      logger.info({ session: entry.session.id, idle_ms: idleTimeoutMs }, 'session closed after idling');
      void entry.session.server.close().catch(() => undefined);
    }, idleTimeoutMs);
    // An idle session must not keep the process alive on its own.
    entry.idleTimer.unref();
  };

  return {
    get size() {
      return entries.size;
    },
    reserve() {
      if (entries.size + reserved >= maxSessions) {
        let oldest: Entry | undefined;
        for (const entry of entries.values()) {
          if (entry.openRequests === 0 && (oldest === undefined || entry.idleSince < oldest.idleSince)) oldest = entry;
        }
        if (oldest === undefined) return false;
        // Forgotten at once so the place is free now; its server closes in the background.
        clearTimeout(oldest.idleTimer);
        entries.delete(oldest.session.id);
        logger.info({ session: oldest.session.id, principal: oldest.session.principal, idle_ms: Math.round(Date.now() - oldest.idleSince) }, 'session closed to make room: longest idle at the cap');
        void oldest.session.server.close().catch(() => undefined);
      }
      reserved++;
      return true;
    },
    unreserve() {
      reserved = Math.max(0, reserved - 1);
    },
    add(session) {
      const entry: Entry = { session, openRequests: 0, idleTimer: undefined, idleSince: Date.now() };
      entries.set(session.id, entry);
      armIdle(entry);
    },
    get(id) {
      return entries.get(id)?.session;
    },
    remove(id) {
      const entry = entries.get(id);
      if (!entry) return;
      clearTimeout(entry.idleTimer);
      entries.delete(id);
    },
    track(session, res) {
      const entry = entries.get(session.id);
      if (!entry) return;
      entry.openRequests++;
      clearTimeout(entry.idleTimer);
      res.once('close', () => {
        entry.openRequests--;
        if (entry.openRequests === 0 && entries.get(session.id) === entry) armIdle(entry);
      });
    },
    async closeAll() {
      await Promise.allSettled([...entries.values()].map((e) => e.session.server.close()));
    },
  };
}
