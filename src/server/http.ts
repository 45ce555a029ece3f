/**
 * Serve MCP over Streamable HTTP (POST, GET stream, DELETE) to many clients at once.
 *
 * Every request passes, in order: health paths → MCP path → Host/Origin check → bearer
 * token → readiness → era. A 2026-07-28 request (its `_meta` says so; the SDK v2's
 * `isLegacyRequest` decides) goes to the stateless modern handler; everything else to the 2025
 * leg (SDK 1.x), whose transport checks Accept, Content-Type, JSON-RPC shape and protocol version.
 * With sessions, each 2025 client gets its own MCP Server attached to the shared hub, so
 * list_changed reaches every open session; stateless, each request gets a fresh Server and
 * transport, so any replica can answer any request.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { NodeMcpRequestHandler } from '@modelcontextprotocol/node';
import type { AuthInfo, Server as ModernServer } from '@modelcontextprotocol/server';
import { claimsModernBothWays, mayBeModernRequest } from './era.js';
import { readJsonBody } from './http-body.js';
import { notifyListChanged } from './publish.js';
import type { HttpConfig } from '../http-config.js';
import type { Logger } from '../log.js';
import { watchAuthTokensFile } from './auth-tokens-file.js';
import { ANONYMOUS_PRINCIPAL, createPrincipalResolver, principalsFromSingleToken, type PrincipalResolver } from './principals.js';
import { answerHealth, type Readiness } from './http-health.js';
import { HTTP_ERROR_CODE, sendJsonRpcError } from './http-reply.js';
import { createSessionRegistry, type HttpSession } from './http-sessions.js';
import type { Hub } from './hub.js';
import { deferHub, type PendingHub } from './deferred-hub.js';
import type { LiveRuns } from './live-runs.js';
import type { StoreStatus } from '../store/store.js';
import { checkHostAndOrigin, createHostOriginPolicy } from './host-origin-check.js';
import { createInFlightRuns } from './in-flight-runs.js';
import type { CallAgent } from './publish.js';

/** How long a shutdown waits for cancelled calls to send their results. */
const RESULT_DRAIN_MSEC = 2_000;
/** How long a shutdown then waits for responses to finish before cutting connections. */
const CONNECTION_DRAIN_MSEC = 1_000;

export interface ServeHttpOptions {
  http: HttpConfig;
  logger: Logger;
  /**
   * Load the catalog. Called after the port is open: /healthz, `initialize` and `server/discover`
   * are answered during the load, lists and calls wait for it, /readyz says 503 until it is done.
   */
  openHub: () => Promise<Hub>;
  /** How agents are called; wrapped here so a shutdown can cancel every run with a reason. */
  callAgent: CallAgent;
  /** The 2025 MCP server for one session (or one stateless request) of `principal`, calling agents through `callAgent`. */
  createServer: (hub: Hub, callAgent: CallAgent, principal: string) => Server;
  /** 2026 runs kept open (input_required rounds, tasks): counted on /readyz, heard by task subscriptions. */
  live?: LiveRuns;
  /** Where run state lives, for /readyz. */
  storeStatus: () => StoreStatus;
  /** Load the 2026 leg (SDK v2) and get its server factory; loaded at start, before the catalog. */
  loadModern: () => Promise<(hub: Hub) => ModernServer>;
  /** Called first when a shutdown begins (the live runs hand themselves over to other replicas). */
  onStopping?: () => Promise<void>;
}

/** A JSON-RPC request or notification: `{"jsonrpc": "2.0", "method": "<string>", ...}`. */
function isJsonRpcCall(body: unknown): body is { params?: { _meta?: Record<string, unknown> } } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return false;
  const { jsonrpc, method } = body as { jsonrpc?: unknown; method?: unknown };
  return jsonrpc === '2.0' && typeof method === 'string';
}

/** Whether a Content-Type header names application/json (parameters such as charset allowed). */
function isJsonMediaType(header: string | undefined): boolean {
  return header?.split(';')[0]?.trim().toLowerCase() === 'application/json';
}

/** `[::1]` for IPv6 addresses, as a URL needs them. */
function urlHost(address: AddressInfo): string {
  return address.family === 'IPv6' ? `[${address.address}]` : address.address;
}

/**
 * Listen, load the catalog, serve until SIGINT/SIGTERM, then shut down gracefully: stop
 * accepting, cancel running agent calls with a reason their clients can read, close every
 * session and the hub. Resolves once all of that is done.
 * @throws if the port cannot be bound or the catalog cannot be loaded.
 */
export async function serveHttp(options: ServeHttpOptions): Promise<void> {
  const { http, logger } = options;
  const runs = createInFlightRuns();
  const callAgent = runs.wrap(options.callAgent);
  const policy = createHostOriginPolicy({ bindHost: http.host, allowedHosts: http.allowedHosts, allowedOrigins: http.allowedOrigins });
  const tokens = http.authTokensFile === undefined ? undefined : await watchAuthTokensFile(http.authTokensFile, {
    onChange: (principals) => logger.info({ file: http.authTokensFile, principals }, 'auth tokens re-read'),
    onProblem: (error) => logger.warn({ file: http.authTokensFile, err: error.reason }, error.message),
  });
  /** The principal a request's Authorization header names; without auth, everyone is one anonymous principal. */
  const principalOf: PrincipalResolver = tokens
    ? tokens.resolve
    : http.authToken !== undefined
      ? createPrincipalResolver(principalsFromSingleToken(http.authToken))
      : () => ANONYMOUS_PRINCIPAL;
  const sessions = createSessionRegistry({ maxSessions: http.maxSessions, idleTimeoutMs: http.sessionIdleTimeoutMs, logger });
  const statelessServers = new Set<Server>();
  /** POST responses under way: a shutdown lets them finish so cancelled results reach their callers. */
  const openPosts = new Set<ServerResponse>();
  let postsDone: (() => void) | undefined;
  /** The loaded hub (for /readyz and the shutdown). */
  let hub: Hub | undefined;
  /** What requests are served from, from the moment the port is open. */
  let serving: PendingHub | undefined;
  let readiness: Readiness = 'starting';
  // A function, so TypeScript does not narrow `readiness` across the awaits that change it.
  const isStopping = (): boolean => readiness === 'stopping';

  const newMcpServer = (h: Hub, principal: string): Server => {
    const server = options.createServer(h, (ctx) => callAgent({ ...ctx, principal }), principal);
    server.onerror = (err) => logger.debug({ err: err.message }, 'request refused by the MCP transport');
    return server;
  };

  const transportOptions = { maxRequestBodySize: http.maxBodyBytes };

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

  // The 2026 leg: one handler, a fresh server per request; list changes reach subscriptions/listen.
  // Built on the first request that may be 2026 traffic, from modules loaded at start (see below).
  interface ModernLeg {
    isLegacy: (probe: Request, body: unknown) => Promise<boolean>;
    handle: NodeMcpRequestHandler;
    /** Serve a subscriptions/listen naming task ids (true); the SDK's router would drop them. */
    serveTaskListen: (body: unknown, principal: string, res: ServerResponse) => boolean;
    close: () => Promise<void>;
  }
  let modern: Promise<ModernLeg> | undefined;
  const modernFor = (h: Hub): Promise<ModernLeg> =>
    (modern ??= (async () => {
      const [{ createMcpHandler, isLegacyRequest }, { toNodeHandler }, { createHttpTaskListens }, createModernServer] = await Promise.all([
        import('@modelcontextprotocol/server'),
        import('@modelcontextprotocol/node'),
        import('./task-listen.js'),
        options.loadModern(),
      ]);
      const live = options.live;
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
        handle: toNodeHandler(handler, { maxRequestBodySize: http.maxBodyBytes }),
        serveTaskListen: (body, principal, res) => taskListens?.serve(body, principal, res) ?? false,
        close: () => {
          taskListens?.closeAll();
          return handler.close();
        },
      };
    })());

  /** Tell the eras apart on a JSON POST (read once, capped) and hand it to its leg. */
  async function handleMcp(h: Hub, principal: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const legacy = (body?: unknown): Promise<void> => (http.stateless ? handleStateless(h, principal, req, res, body) : handleWithSessions(h, principal, req, res, body));
    // GET/DELETE and malformed POSTs are 2025 traffic, refused by its transport as before.
    if (req.method !== 'POST' || !isJsonMediaType(req.headers['content-type'])) return legacy();
    const body = await readJsonBody(req, http.maxBodyBytes);
    if (!body.ok) return sendJsonRpcError(res, body.status, body.code, body.message);
    // Only a single JSON-RPC request or notification can be 2026 traffic (it has no batches);
    // anything else goes to the 2025 transport, which refuses it as it always did.
    const parsed = body.parsed;
    if (!isJsonRpcCall(parsed)) return legacy(parsed);
    const version = req.headers['mcp-protocol-version'];
    if (!mayBeModernRequest(parsed, typeof version === 'string' ? version : undefined)) return legacy(parsed);
    // It may be 2026 traffic: unless it claims so both ways, the SDK's isLegacyRequest decides, as its own entry would.
    const leg = await modernFor(h);
    if (!claimsModernBothWays(parsed, typeof version === 'string' ? version : undefined)) {
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) if (typeof value === 'string') headers.set(name, value);
      const probe = new Request(new URL(req.url ?? '/', 'http://localhost'), { method: 'POST', headers });
      if (await leg.isLegacy(probe, parsed)) return legacy(parsed);
    }
    if (leg.serveTaskListen(parsed, principal, res)) return;
    return leg.handle(req, res, parsed);
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    let pathname: string;
    try {
      pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    } catch {
      return sendJsonRpcError(res, 400, HTTP_ERROR_CODE.refused, 'Bad Request: malformed URL');
    }
    const health = {
      readiness: () => readiness,
      agents: () => hub?.listings().tools.length ?? 0,
      sessions: () => sessions.size,
      runs: () => runs.size,
      tasks: () => options.live?.size ?? 0,
      store: options.storeStatus,
    };
    if (answerHealth(pathname, req.method, res, health)) return;
    if (pathname !== http.path) return sendJsonRpcError(res, 404, HTTP_ERROR_CODE.refused, `Not found: MCP is served at ${http.path}`);

    const refusal = checkHostAndOrigin({ host: req.headers.host, origin: req.headers.origin }, policy);
    if (refusal !== undefined) {
      logger.warn({ host: req.headers.host, origin: req.headers.origin }, 'request refused: Host/Origin not allowed');
      return sendJsonRpcError(res, 403, HTTP_ERROR_CODE.refused, `Forbidden: ${refusal}`);
    }
    const principal = principalOf(req.headers.authorization);
    if (principal === undefined) {
      logger.warn({ remote: req.socket.remoteAddress }, 'request refused: missing or wrong bearer token');
      return sendJsonRpcError(res, 401, HTTP_ERROR_CODE.refused, 'Unauthorized: send the server\'s token as "Authorization: Bearer <token>".', {
        'WWW-Authenticate': 'Bearer realm="agents-mcp"',
      });
    }
    // While the catalog loads, requests are served from the pending hub: lists and calls wait.
    if (isStopping() || serving === undefined) {
      return sendJsonRpcError(res, 503, HTTP_ERROR_CODE.refused, 'Service unavailable: the server is shutting down.', { 'Retry-After': '1' });
    }
    if (req.method !== 'POST' && req.method !== 'GET' && req.method !== 'DELETE') {
      return sendJsonRpcError(res, 405, HTTP_ERROR_CODE.refused, 'Method not allowed.', { Allow: 'GET, POST, DELETE' });
    }
    if (req.method === 'POST') {
      openPosts.add(res);
      res.once('close', () => {
        openPosts.delete(res);
        if (openPosts.size === 0) postsDone?.();
      });
    }
    // The 2026 leg reads it as its context's authInfo (principal.ts); the token itself stays out.
    (req as IncomingMessage & { auth?: AuthInfo }).auth = { token: '', clientId: principal, scopes: [] };
    await handleMcp(serving, principal, req, res);
  }

  const httpServer = createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      // Our fault, never the client's: log it, answer 500, and keep serving.
      logger.error({ err: err instanceof Error ? err.message : String(err), method: req.method }, 'request failed');
      sendJsonRpcError(res, 500, HTTP_ERROR_CODE.internal, 'Internal server error');
    });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(http.port, http.host, () => {
      httpServer.off('error', reject);
      resolve();
    });
  });
  const address = httpServer.address() as AddressInfo;
  logger.info(
    { url: `http://${urlHost(address)}:${address.port}${http.path}`, stateless: http.stateless, auth: tokens ? 'principals' : http.authToken !== undefined ? 'bearer' : 'none', ...(tokens ? { principals: tokens.principals() } : {}) },
    'listening',
  );

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => {
    resolveStopped = resolve;
  });

  const waitForPosts = async (timeoutMs: number): Promise<void> => {
    if (openPosts.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      postsDone = resolve;
      timer = setTimeout(resolve, timeoutMs);
    });
    clearTimeout(timer);
  };

  async function shutdown(why: string): Promise<void> {
    if (isStopping()) {
      // A second signal: stop waiting for anyone.
      httpServer.closeAllConnections();
      return;
    }
    readiness = 'stopping';
    logger.info({ why, running_calls: runs.size, sessions: sessions.size }, 'shutting down');
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await options.onStopping?.().catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not hand the live runs over'));
    runs.cancelAll(`the server is shutting down (${why})`);
    await waitForPosts(RESULT_DRAIN_MSEC);
    await sessions.closeAll();
    await Promise.allSettled([...statelessServers].map((s) => s.close()));
    // Ends open subscriptions/listen streams, which would otherwise hold the server open.
    await modern?.then((leg) => leg.close()).catch(() => undefined);
    httpServer.closeIdleConnections();
    const cut = setTimeout(() => httpServer.closeAllConnections(), CONNECTION_DRAIN_MSEC);
    await closed;
    clearTimeout(cut);
    await hub?.close();
    await tokens?.close();
    logger.info({ why }, 'stopped');
    resolveStopped();
  }

  const onSignal = (signal: NodeJS.Signals): void => void shutdown(signal);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    // The 2026 leg's modules load first: the catalog load below leaves the event loop only between
    // slices, and a module graph loading in those gaps would keep server/discover waiting for it.
    const legLoaded = Promise.all([import('@modelcontextprotocol/server'), import('@modelcontextprotocol/node'), import('./task-listen.js'), options.loadModern()]);
    serving = deferHub(legLoaded.then(options.openHub));
    const loaded = await serving.loaded;
    // A signal during the load already ran the shutdown, which had no hub to close.
    if (isStopping()) await loaded.close();
    else {
      hub = loaded;
      readiness = 'ready';
      logger.info({ agents: loaded.listings().tools.length }, 'ready');
    }
  } catch (err) {
    await shutdown('the agent catalog could not be loaded');
    throw err;
  }
  try {
    await stopped;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
