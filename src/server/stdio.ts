/**
 * Serve one connection over stdio, as Claude Desktop and Claude Code start us. Stdout carries
 * only JSON-RPC. The first message picks the era: `initialize` (or anything without a 2026
 * `_meta` envelope) gets the 2025 session exactly as before (SDK 1.x, with elicitation, sampling,
 * roots and 2025 tasks); `server/discover` or an enveloped request gets the 2026 server through
 * the SDK v2's `serveStdio`. The server ends when the client closes stdin or on SIGINT/SIGTERM.
 */
import type { Readable } from 'node:stream';
import type { Server as LegacyServer } from '@modelcontextprotocol/sdk/server/index.js';
import { StdioServerTransport as LegacyStdioTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Server as ModernServer } from '@modelcontextprotocol/server';
import type { Logger } from '../log.js';
import type { Hub } from './hub.js';
import { deferHub, type PendingHub } from './deferred-hub.js';
import type { LiveRuns } from './live-runs.js';
import { LOCAL_PRINCIPAL } from '../run/call-context.js';
import { isModernOpening } from './era.js';
import { notifyListChanged } from './publish.js';
import { serializedToolsAnswer } from './listings.js';

/** The longest first line we wait for before deciding (the SDK's own buffer cap). */
const MAX_FIRST_LINE_BYTES = 10 * 1024 * 1024;

/**
 * The first line on `input`, which stays unread: the bytes go back onto the stream for whichever
 * transport takes it over. Undefined when the stream ends first or the line is too long.
 */
export function peekFirstLine(input: Readable): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (line: string | undefined): void => {
      input.off('data', onData);
      input.off('end', onEnd);
      input.pause();
      if (chunks.length > 0) input.unshift(Buffer.concat(chunks));
      // A paused stream stays paused when a reader attaches: resume once the transport listens.
      const onListener = (event: string | symbol): void => {
        if (event !== 'data') return;
        input.off('newListener', onListener);
        setImmediate(() => input.resume());
      };
      input.on('newListener', onListener);
      resolve(line);
    };
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      size += chunk.length;
      const all = Buffer.concat(chunks);
      const newline = all.indexOf(0x0a);
      if (newline >= 0) finish(all.subarray(0, newline).toString('utf8'));
      else if (size > MAX_FIRST_LINE_BYTES) finish(undefined);
    };
    const onEnd = (): void => finish(undefined);
    input.on('data', onData);
    input.once('end', onEnd);
  });
}

export interface ServeStdioOptions {
  /**
   * Load the catalog; called once the client's first line has come (and, for a 2026 opening, the
   * 2026 leg's modules have loaded), so that the handshake never waits for it. A catalog that
   * cannot load ends the server with its error.
   */
  openHub: () => Promise<Hub>;
  /** The 2025 session's server, serving the hub (lists wait while it loads). */
  createLegacyServer: (hub: Hub) => LegacyServer;
  /** Load the 2026 leg (SDK v2) and get its server factory; only a 2026 opening loads it. */
  loadModern: () => Promise<(hub: Hub) => ModernServer>;
  /** The 2026 runs, whose status changes task subscriptions hear. */
  live: LiveRuns;
  logger: Logger;
}

/** The part of either SDK's stdio transport that sends. */
interface SendingTransport {
  send(message: { jsonrpc: '2.0' } & object, ...rest: never[]): Promise<void>;
}

/**
 * The transport (SDK 1.x or v2), answering tools/list from the listing's cached JSON instead of
 * serializing ~3 MiB per request at 3,000 agents; every other message is sent as before.
 */
function withCachedToolsList<T extends SendingTransport>(transport: T): T {
  const send = transport.send.bind(transport);
  transport.send = (message, ...rest) => {
    const parts = 'result' in message && 'id' in message && Object.keys(message).length === 3 ? serializedToolsAnswer(message.id as string | number, message.result) : undefined;
    if (!parts) return send(message, ...rest);
    return new Promise<void>((resolve) => {
      process.stdout.cork();
      let flushed = true;
      for (const part of parts) flushed = process.stdout.write(part);
      process.stdout.uncork();
      if (flushed) resolve();
      else process.stdout.once('drain', () => resolve());
    });
  };
  return transport;
}

/** Serve this process's stdin/stdout; resolves when the connection has ended. */
export async function serveStdio(options: ServeStdioOptions): Promise<void> {
  const { logger } = options;
  let transportClosed: () => void = () => undefined;
  let loadFailed: (err: unknown) => void = () => undefined;
  let loadFailure: unknown;
  const ended = new Promise<string>((resolve) => {
    transportClosed = () => resolve('transport closed');
    loadFailed = (err) => {
      loadFailure = err;
      resolve('the agent catalog could not be loaded');
    };
    // A client that closes our stdin is gone (the 1.x transport ignores EOF).
    process.stdin.once('end', () => resolve('stdin closed'));
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
  });
  let pending: PendingHub | undefined;
  const openHub = (): PendingHub => {
    pending = deferHub(options.openHub());
    pending.loaded.catch(loadFailed);
    return pending;
  };
  // The client's first line decides the era; until it comes, say that we are up.
  logger.info('listening on stdio');
  const first = await Promise.race([peekFirstLine(process.stdin), ended.then(() => undefined)]);
  let close: () => Promise<void>;
  let detach: () => void;
  if (first !== undefined && isModernOpening(first)) {
    let server: ModernServer | undefined;
    const [{ serveStdio: serveModernStdio, StdioServerTransport }, { withTaskListen }, createModernServer] = await Promise.all([
      import('@modelcontextprotocol/server/stdio'),
      import('./task-listen.js'),
      options.loadModern(),
    ]);
    // Only now: the catalog load leaves the event loop between slices only, and the module graph
    // above, loading in those gaps, would keep server/discover waiting for the whole catalog.
    const hub = openHub();
    // Task subscriptions (notifications/tasks) are ours: the SDK's subscriptions/listen knows only list changes.
    const transport = withTaskListen(withCachedToolsList(new StdioServerTransport()), { live: options.live, principal: LOCAL_PRINCIPAL, onListChanged: (listener) => hub.attach(listener) });
    const handle = serveModernStdio(
      () => {
        server = createModernServer(hub);
        server.onclose = transportClosed;
        return server;
      },
      { legacy: 'reject', transport, onerror: (err) => logger.debug({ err: err.message }, 'stdio message refused') },
    );
    // serveStdio forwards these to the connection's subscriptions/listen streams.
    detach = hub.attach(() => {
      if (!server) return;
      void Promise.allSettled([server.sendToolListChanged(), server.sendResourceListChanged(), server.sendPromptListChanged()]);
    });
    close = () => handle.close();
    logger.info({ era: '2026-07-28' }, 'serving over stdio');
  } else {
    const hub = openHub();
    const server = options.createLegacyServer(hub);
    detach = hub.attach(() => void notifyListChanged(server));
    server.onclose = transportClosed;
    await server.connect(withCachedToolsList(new LegacyStdioTransport()));
    close = () => server.close();
    logger.info({ era: '2025' }, 'serving over stdio');
  }
  const why = await ended;
  logger.info({ why }, 'shutting down');
  detach();
  await close().catch(() => undefined);
  await pending?.close();
  if (loadFailure !== undefined) throw loadFailure;
}
