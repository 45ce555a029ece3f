/**
 * Serve one session over stdio, as Claude Desktop and Claude Code start us. Stdout carries
 * only JSON-RPC. The server ends when the client closes stdin or sends SIGINT/SIGTERM.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { Logger } from '../log.js';
import type { Hub } from './hub.js';

/** Connect `server` to this process's stdin/stdout; resolves when the session has ended. */
export async function serveStdio(options: { hub: Hub; server: Server; logger: Logger }): Promise<void> {
  const { hub, server, logger } = options;
  const detach = hub.attach(server);
  const transport = new StdioServerTransport();
  const ended = new Promise<string>((resolve) => {
    // The SDK's transport ignores EOF on stdin; a client that closes our stdin is gone.
    process.stdin.once('end', () => resolve('stdin closed'));
    process.once('SIGINT', () => resolve('SIGINT'));
    process.once('SIGTERM', () => resolve('SIGTERM'));
    server.onclose = () => resolve('transport closed');
  });
  await server.connect(transport);
  logger.info('serving over stdio');
  const why = await ended;
  logger.info({ why }, 'shutting down');
  detach();
  await server.close().catch(() => undefined);
  await hub.close();
}
