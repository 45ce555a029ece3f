/**
 * One upstream MCP tool as a {@link Tool}: `mcp__<server>__<tool>` with the server's own schema.
 * A call sends the run's delegation chain in `_meta`, relays progress, is cancelled with the run,
 * and reconnects first if the server exited since the run started.
 */
import { chainMeta } from '../delegation/chain.js';
import { readRunReport } from '../delegation/delegation-node.js';
import type { LocalTool, ToolContext, ToolResult } from '../tool.js';
import { textResult } from '../tool.js';
import type { NamedServer } from './agent-servers.js';
import { UpstreamCallError } from './call-errors.js';
import type { UpstreamConnection, UpstreamToolInfo } from './connection.js';
import type { UpstreamPool } from './pool.js';
import { toModelToolResult } from './result-content.js';

/** Longest upstream tool description passed to the model (Claude Code's cap). */
export const MAX_UPSTREAM_DESCRIPTION_CHARS = 2048;

function describeFailure(server: string, err: unknown): string {
  if (err instanceof UpstreamCallError) {
    switch (err.kind) {
      case 'closed':
        return `the upstream MCP server "${server}" closed the connection during the call (it may have crashed). It is restarted on the next call; retry once if the task needs this tool.`;
      case 'timeout':
        return `the upstream MCP server "${server}" did not answer in time (${err.message}).`;
      case 'refused':
        return `the upstream MCP server "${server}" refused the call: ${err.message}`;
      case 'too_large':
      case 'input_required':
        return `the upstream MCP server "${server}": ${err.message}`;
    }
  }
  return `the call to the upstream MCP server "${server}" failed: ${err instanceof Error ? err.message : String(err)}`;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Create the Tool for `info` of `server`, named `modelName`. */
export function createUpstreamTool(options: { server: NamedServer; info: UpstreamToolInfo; modelName: string; pool: UpstreamPool }): LocalTool {
  const { server, info, modelName, pool } = options;
  const description = info.description.length > MAX_UPSTREAM_DESCRIPTION_CHARS ? `${info.description.slice(0, MAX_UPSTREAM_DESCRIPTION_CHARS)}…` : info.description;
  return {
    name: modelName,
    description: description || `Tool "${info.name}" of the MCP server "${server.name}".`,
    inputSchema: info.inputSchema,
    kind: info.readOnly ? 'read' : 'other',
    async run(input: unknown, ctx: ToolContext): Promise<ToolResult> {
      const args = input ?? {};
      if (!isPlainObject(args)) return textResult(`${modelName}: input must be a JSON object matching the tool's schema`, true);
      if (ctx.signal.aborted) return textResult(`${modelName}: cancelled`, true);
      let connection: UpstreamConnection;
      try {
        connection = await pool.connection(server, ctx.signal);
      } catch (err) {
        if (ctx.signal.aborted) return textResult(`${modelName}: cancelled`, true);
        const reason = err instanceof Error ? err.message : String(err);
        return textResult(`${modelName}: the upstream MCP server "${server.name}" is unavailable: ${reason}\nGo on without this tool, or try again later.`, true);
      }
      try {
        const result = await connection.callTool(info.name, args, {
          signal: ctx.signal,
          ...(ctx.chain ? { meta: chainMeta(ctx.chain) } : {}),
          ...(ctx.onProgress ? { onProgress: ctx.onProgress } : {}),
        });
        // An upstream agents-mcp reports its run (usage, cost, nested runs): keep it in our tree.
        const report = readRunReport(result.structuredContent);
        if (report) ctx.recordDelegation?.({ ...report, server: server.name });
        return toModelToolResult(result, { server: server.name, omitStructuredContent: report !== undefined });
      } catch (err) {
        if (ctx.signal.aborted) return textResult(`${modelName}: cancelled`, true);
        return textResult(`${modelName}: ${describeFailure(server.name, err)}`, true);
      }
    },
  };
}
