/**
 * Serve MCP over Streamable HTTP (POST, GET stream, DELETE) to many clients at once.
 *
 * Every request passes, in order: health paths → MCP path → Host/Origin check → bearer
 * token → readiness → era. A 2026-07-28 request (its `_meta` says so; the SDK v2's
 * `isLegacyRequest` decides) goes to the stateless modern handler; everything else to the 2025
 * leg (SDK 1.x), whose transport checks Accept, Content-Type, JSON-RPC shape and protocol version
 * (http-legacy-leg.ts: sessions, or a fresh server per request when stateless; http-modern-leg.ts).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { AuthInfo, Server as ModernServer } from '@modelcontextprotocol/server';
import { claimsModernBothWays, mayBeModernRequest } from './era.js';
import { readJsonBody } from './http-body.js';
import type { HttpConfig } from '../http-config.js';
import type { Logger } from '../log.js';
import { watchAuthTokensFile } from './auth-tokens-file.js';
import { ANONYMOUS_PRINCIPAL, createPrincipalResolver, principalsFromSingleToken, type PrincipalResolver } from './principals.js';
import { answerHealth, type Readiness } from './http-health.js';
import { HTTP_ERROR_CODE, sendJsonRpcError } from './http-reply.js';
import type { Hub } from './hub.js';
import { deferHub, type PendingHub } from './deferred-hub.js';
import type { LiveRuns } from './live-runs.js';
import { createLegacyLeg } from './http-legacy-leg.js';
import { openHttpModernLeg, type HttpModernLeg } from './http-modern-leg.js';
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

  const legacyLeg = createLegacyLeg({
    http,
    logger,
    createServer: (h, principal) => options.createServer(h, (ctx) => callAgent({ ...ctx, principal }), principal),
  });

  // The 2026 leg, built on the first request that may be 2026 traffic (http-modern-leg.ts).
  let modern: Promise<HttpModernLeg> | undefined;
  const modernFor = (h: Hub): Promise<HttpModernLeg> =>
    (modern ??= openHttpModernLeg({ hub: h, loadModern: options.loadModern, ...(options.live ? { live: options.live } : {}), logger, maxBodyBytes: http.maxBodyBytes }));

  /** Tell the eras apart on a JSON POST (read once, capped) and hand it to its leg. */
  async function handleMcp(h: Hub, principal: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    const legacy = (body?: unknown): Promise<void> => legacyLeg.handle(h, principal, req, res, body);
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
      sessions: () => legacyLeg.sessions,
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
    logger.info({ why, running_calls: runs.size, sessions: legacyLeg.sessions }, 'shutting down');
    const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
    await options.onStopping?.().catch((err: unknown) => logger.warn({ err: err instanceof Error ? err.message : String(err) }, 'could not hand the live runs over'));
    runs.cancelAll(`the server is shutting down (${why})`);
    await waitForPosts(RESULT_DRAIN_MSEC);
    await legacyLeg.close();
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
