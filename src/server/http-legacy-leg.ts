/**
 * The 2025 leg of the HTTP server (SDK 1.x): with sessions, each client gets its own MCP Server
 * attached to the shared hub (so list_changed reaches every open session), kept in the session
 * registry; stateless (`--stateless`), each request gets a fresh Server and transport, so any
 * replica can answer any request.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { HttpConfig } from '../http-config.js';
import type { Logger } from '../log.js';
import { HTTP_ERROR_CODE, sendJsonRpcError } from './http-reply.js';
import { createSessionRegistry, type HttpSession } from './http-sessions.js';
import type { Hub } from './hub.js';
import { notifyListChanged } from './publish.js';

export interface LegacyLegOptions {
  http: HttpConfig;
  logger: Logger;
  /** The 2025 MCP server for one session (or one stateless request) of `principal`. */
  createServer: (hub: Hub, principal: string) => Server;
}

export interface LegacyLeg {
  /** Serve one 2025 request (`parsedBody` when the caller already read it). */
  handle(hub: Hub, principal: string, req: IncomingMessage, res: ServerResponse, parsedBody?: unknown): Promise<void>;
  /** Open sessions. */
  readonly sessions: number;
  /** Close every session and stateless server (at shutdown). */
  close(): Promise<void>;
}

/** Create the 2025 leg. */
export function createLegacyLeg(options: LegacyLegOptions): LegacyLeg {
  const { http, logger } = options;
  const sessions = createSessionRegistry({ maxSessions: http.maxSessions, idleTimeoutMs: http.sessionIdleTimeoutMs, logger });
  const statelessServers = new Set<Server>();
  const transportOptions = { maxRequestBodySize: http.maxBodyBytes };

  const newMcpServer = (h: Hub, principal: string): Server => {
    const server = options.createServer(h, principal);
    server.onerror = (err) => logger.debug({ err: err.message }, 'request refused by the MCP transport');
    return server;
  };

  async function openSession(h: Hub, principal: string, req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void> {
    // The MCP Server is made only once the transport has seen a valid initialize, so a flood
    // of stray session-less POSTs costs a transport each, not a server.
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      ...transportOptions,
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: async (id) => {
        const server = newMcpServer(h, principal);
        const detach = h.attach(() => void notifyListChanged(server));
        server.onclose = () => {
          detach();
          if (sessions.get(id)) {
            sessions.remove(id);
            logger.info({ session: id, sessions: sessions.size }, 'session closed');
          }
        };
        await server.connect(transport);
        const session: HttpSession = { id, server, transport, principal };
        sessions.add(session);
        sessions.track(session, res);
        logger.info({ session: id, principal, sessions: sessions.size }, 'session opened');
      },
    });
    try {
      await transport.handleRequest(req, res, parsedBody);
    } finally {
      // Anything but a successful initialize leaves a transport no client can reach again.
      if (transport.sessionId === undefined) await transport.close();
    }
  }

  async function handleWithSessions(h: Hub, principal: string, req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void> {
    const sessionId = req.headers['mcp-session-id'];
    if (typeof sessionId === 'string' && sessionId !== '') {
      const session = sessions.get(sessionId);
      // Another principal's session is "not found", exactly as an unknown one: no hint it exists.
      if (!session || session.principal !== principal) {
        return sendJsonRpcError(res, 404, HTTP_ERROR_CODE.sessionNotFound, 'Session not found: it expired or was closed. Start a new session with initialize.');
      }
      sessions.track(session, res);
      return session.transport.handleRequest(req, res, parsedBody);
    }
    if (req.method !== 'POST') return sendJsonRpcError(res, 400, HTTP_ERROR_CODE.refused, 'Bad Request: Mcp-Session-Id header is required');
    if (!sessions.reserve()) {
      logger.warn({ max_sessions: http.maxSessions }, 'session refused: cap reached');
      return sendJsonRpcError(res, 503, HTTP_ERROR_CODE.refused, `Too many open sessions (${http.maxSessions}); retry later.`, { 'Retry-After': '5' });
    }
    try {
      await openSession(h, principal, req, res, parsedBody);
    } finally {
      sessions.unreserve();
    }
  }

  async function handleStateless(h: Hub, principal: string, req: IncomingMessage, res: ServerResponse, parsedBody: unknown): Promise<void> {
    if (req.method !== 'POST') {
      return sendJsonRpcError(res, 405, HTTP_ERROR_CODE.refused, 'Method not allowed: this server is stateless; send every message as a POST.', { Allow: 'POST' });
    }
    const server = newMcpServer(h, principal);
    const transport = new StreamableHTTPServerTransport({ ...transportOptions, sessionIdGenerator: undefined });
    statelessServers.add(server);
    // Closing aborts the request's handlers: a client that hangs up cancels its call.
    res.once('close', () => {
      statelessServers.delete(server);
      void server.close().catch(() => undefined);
    });
    await server.connect(transport);
    await transport.handleRequest(req, res, parsedBody);
  }

  return {
    handle: (h, principal, req, res, parsedBody) => (http.stateless ? handleStateless(h, principal, req, res, parsedBody) : handleWithSessions(h, principal, req, res, parsedBody)),
    get sessions() {
      return sessions.size;
    },
    async close() {
      await sessions.closeAll();
      await Promise.allSettled([...statelessServers].map((s) => s.close()));
    },
  };
}
