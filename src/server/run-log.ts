/**
 * A run's start and end as MCP log notifications (`notifications/message`), with the same
 * fields as the server's own log lines. The SDK sends them to a client that set no level, and
 * filters them by the level a client set with `logging/setLevel`. Sent through the Server,
 * not the request, so that the end of a cancelled call is still told.
 */
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import type { LoggingLevel } from '@modelcontextprotocol/sdk/types.js';
import { summarizeRun, type RunResult } from '../run/result.js';

const LOGGER = 'agents-mcp';

function send(server: Server, level: LoggingLevel, data: Record<string, unknown>, sessionId: string | undefined): void {
  // A client that went away cannot be told; that must not disturb the run.
  server.sendLoggingMessage({ level, logger: LOGGER, data }, sessionId).catch(() => undefined);
}

/** Tell the client a run started. */
export function notifyRunStarted(server: Server, run: { runId: string; agent: string; model: string }, sessionId?: string): void {
  send(server, 'info', { event: 'run started', run_id: run.runId, agent: run.agent, model: run.model }, sessionId);
}

/** Tell the client how a run ended: `error` level for a failed run, else `info`. */
export function notifyRunEnded(server: Server, result: RunResult, sessionId?: string): void {
  send(
    server,
    result.stopReason === 'error' ? 'error' : 'info',
    {
      event: 'run ended',
      run_id: result.runId,
      agent: result.agent,
      ...summarizeRun(result),
    },
    sessionId,
  );
}
