/**
 * ListMcpResourcesTool and ReadMcpResourceTool (Claude Code's names and inputs): the resources of
 * the upstream servers a run may use.
 */
import { z } from 'zod';
import { defineTool } from '../define-tool.js';
import type { LocalTool } from '../tool.js';
import { textResult } from '../tool.js';
import type { NamedServer } from './agent-servers.js';
import type { UpstreamPool } from './pool.js';
import { toModelToolResult } from './result-content.js';

/** Most resources listed per server. */
export const MAX_LISTED_RESOURCES = 500;

const ListInput = z.object({
  server: z.string().optional().describe('Optional server name to filter resources by'),
});
const ReadInput = z.object({
  server: z.string().describe('The MCP server name'),
  uri: z.string().describe('The resource URI to read'),
});

/** Create both resource tools for `servers` (the ones of the run that offer resources). */
export function createResourceTools(servers: readonly NamedServer[], pool: UpstreamPool): LocalTool[] {
  const names = servers.map((s) => s.name);
  const find = (name: string): NamedServer | undefined => servers.find((s) => s.name === name);
  const unknownServer = (tool: string, name: string): ReturnType<typeof textResult> =>
    textResult(`${tool}: no server "${name}" with resources here. Servers with resources: ${names.join(', ')}.`, true);

  const list = defineTool({
    name: 'ListMcpResourcesTool',
    description: `List the resources (files, documents, data) the connected MCP servers offer, with their URIs. Servers: ${names.join(', ')}.`,
    schema: ListInput,
    kind: 'read',
    async execute(input, ctx) {
      const chosen = input.server === undefined ? servers : [find(input.server)].filter((s): s is NamedServer => s !== undefined);
      if (input.server !== undefined && chosen.length === 0) return unknownServer('ListMcpResourcesTool', input.server);
      const rows: Array<Record<string, unknown>> = [];
      for (const server of chosen) {
        try {
          const connection = await pool.connection(server, ctx.signal);
          const resources = await connection.listResources(ctx.signal);
          for (const r of resources.slice(0, MAX_LISTED_RESOURCES)) {
            rows.push({ server: server.name, uri: r.uri, name: r.name, ...(r.mimeType ? { mimeType: r.mimeType } : {}), ...(r.description ? { description: r.description } : {}) });
          }
          if (resources.length > MAX_LISTED_RESOURCES) rows.push({ server: server.name, note: `${resources.length - MAX_LISTED_RESOURCES} more resources not listed` });
        } catch (err) {
          if (ctx.signal.aborted) throw err;
          rows.push({ server: server.name, error: err instanceof Error ? err.message : String(err) });
        }
      }
      return textResult(JSON.stringify(rows, null, 2));
    },
  });

  const read = defineTool({
    name: 'ReadMcpResourceTool',
    description: `Read a resource of an MCP server by its URI (see ListMcpResourcesTool). Servers: ${names.join(', ')}.`,
    schema: ReadInput,
    kind: 'read',
    async execute(input, ctx) {
      const server = find(input.server);
      if (!server) return unknownServer('ReadMcpResourceTool', input.server);
      try {
        const connection = await pool.connection(server, ctx.signal);
        const result = await connection.readResource(input.uri, ctx.signal);
        return toModelToolResult({ content: result.contents.map((resource) => ({ type: 'resource' as const, resource })) }, { server: server.name });
      } catch (err) {
        if (ctx.signal.aborted) throw err;
        return textResult(`ReadMcpResourceTool: could not read ${input.uri} from "${server.name}": ${err instanceof Error ? err.message : String(err)}`, true);
      }
    },
  });
  return [list, read];
}
