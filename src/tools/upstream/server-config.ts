/**
 * How an upstream MCP server is configured: the entries of an mcp.json-style `mcpServers` object
 * (Claude Desktop / Claude Code shape), as zod schemas. Used for `--mcp-config` files and for the
 * inline configs of an agent's `mcpServers` front matter.
 */
import { z } from 'zod';

const StringMap = z.record(z.string(), z.string());

/** A local server: a command we spawn and talk to over its stdin/stdout. */
export const StdioServerConfigSchema = z.object({
  type: z.literal('stdio'),
  command: z.string().min(1, 'command must not be empty'),
  args: z.array(z.string()).default([]),
  /** Added to the child's allow-listed environment; nothing else of ours is passed on. */
  env: StringMap.default({}),
  cwd: z.string().min(1).optional(),
});

/** A remote server over Streamable HTTP (`http`) or the older HTTP+SSE transport (`sse`). */
export const RemoteServerConfigSchema = z.object({
  type: z.enum(['http', 'sse']),
  url: z.url({ protocol: /^https?$/, error: 'url must be an http:// or https:// URL' }),
  headers: StringMap.default({}),
});

/** Entries without `type` are told apart as Claude Code does: `command` → stdio, `url` → http. */
function withImpliedType(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || 'type' in value) return value;
  if ('command' in value) return { ...value, type: 'stdio' };
  if ('url' in value) return { ...value, type: 'http' };
  return value;
}

/** One entry of `mcpServers`. */
export const UpstreamServerConfigSchema = z.preprocess(
  withImpliedType,
  z.discriminatedUnion('type', [StdioServerConfigSchema, RemoteServerConfigSchema], {
    error: (issue) =>
      issue.code === 'invalid_union' || issue.code === 'invalid_type'
        ? 'expected {"command", "args", "env", "cwd"} (a local server) or {"type": "http" | "sse", "url", "headers"} (a remote one)'
        : undefined,
  }),
);

/** A configured upstream server, validated. */
export type UpstreamServerConfig = z.output<typeof UpstreamServerConfigSchema>;
export type StdioServerConfig = z.output<typeof StdioServerConfigSchema>;
export type RemoteServerConfig = z.output<typeof RemoteServerConfigSchema>;

/**
 * A server name usable in `mcp__<server>__<tool>`: not empty, and without `__`, which would make
 * the tool names ambiguous.
 */
export const ServerNameSchema = z
  .string()
  .min(1, 'a server name must not be empty')
  .refine((name) => !name.includes('__'), 'a server name must not contain "__" (tools are named mcp__<server>__<tool>)');

/** The `mcpServers` object of a config file. Other top-level keys (Claude Desktop has several) are ignored. */
export const McpConfigFileSchema = z.object({
  mcpServers: z.record(z.string(), UpstreamServerConfigSchema).superRefine((servers, ctx) => {
    // Checked here rather than as the record's key schema, whose issue would not carry our message.
    for (const name of Object.keys(servers)) {
      const checked = ServerNameSchema.safeParse(name);
      if (!checked.success) ctx.addIssue({ code: 'custom', path: [name], message: checked.error.issues[0]?.message ?? 'invalid server name' });
    }
  }),
});
