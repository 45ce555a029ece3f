/**
 * Which upstream servers one run may use: the configured ones plus the agent's own `mcpServers`
 * front matter, narrowed by its `tools` / `disallowedTools`. Only these are connected at the
 * start of the run, so an agent that lists no MCP tool never starts a server.
 */
import type { AgentDefinition } from '../../agents/definition.js';
import { ServerNameSchema, UpstreamServerConfigSchema, type UpstreamServerConfig } from './server-config.js';
import { normalizeNamePart } from './tool-names.js';

/** A server a run may use. */
export interface NamedServer {
  name: string;
  config: UpstreamServerConfig;
  /** `config`: from `--mcp-config`; `agent`: inline in the agent's own front matter. */
  origin: 'config' | 'agent';
}

/** The servers of a run, and what was wrong with the agent's `mcpServers`. */
export interface ServerSelection {
  servers: NamedServer[];
  warnings: string[];
}

/** Resource tools work on the servers a run may use; listing one alone asks for every server. */
const RESOURCE_TOOLS: ReadonlySet<string> = new Set(['ListMcpResourcesTool', 'ReadMcpResourceTool']);

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The agent's `mcpServers` front matter: a list of configured server names and `{name: config}`
 * maps (Claude Code's shape). A bare map and a comma-separated string are read too. Inline
 * configs are taken literally: no `${VAR}` expansion, so an agent file cannot pull secrets
 * out of the server's environment.
 */
export function readAgentMcpServers(
  value: unknown,
  configured: Readonly<Record<string, UpstreamServerConfig>>,
): { servers: NamedServer[]; warnings: string[] } {
  const servers: NamedServer[] = [];
  const warnings: string[] = [];
  const addInline = (name: string, raw: unknown): void => {
    const parsedName = ServerNameSchema.safeParse(name);
    const parsed = UpstreamServerConfigSchema.safeParse(raw);
    if (!parsedName.success) warnings.push(`mcpServers.${name}: ${parsedName.error.issues[0]?.message ?? 'invalid name'}; ignored`);
    else if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = issue && issue.path.length > 0 ? `.${issue.path.map(String).join('.')}` : '';
      warnings.push(`mcpServers.${name}${key}: ${issue?.message ?? 'invalid'}; this server is ignored`);
    } else servers.push({ name, config: parsed.data, origin: 'agent' });
  };
  const addReference = (name: string): void => {
    const config = configured[name];
    if (config) servers.push({ name, config, origin: 'config' });
    else warnings.push(`mcpServers: "${name}" is not a configured server (--mcp-config); ignored`);
  };
  if (value === undefined || value === null) return { servers, warnings };
  const items = typeof value === 'string' ? value.split(',') : Array.isArray(value) ? value : [value];
  for (const item of items) {
    if (typeof item === 'string') {
      if (item.trim() !== '') addReference(item.trim());
    } else if (isRecord(item)) {
      for (const [name, raw] of Object.entries(item)) addInline(name, raw);
    } else {
      warnings.push('mcpServers: an entry that is neither a server name nor {name: config} was ignored');
    }
  }
  return { servers, warnings };
}

/** True when `disallowedTools` removes every tool of the server (so there is no point in starting it). */
function isWhollyDenied(server: string, deny: readonly string[]): boolean {
  const prefix = `mcp__${normalizeNamePart(server)}`;
  return deny.some((d) => d === 'mcp__*' || d === prefix || d === `${prefix}__*`);
}

/** True when a `tools` entry may name a tool of the server. */
function isReferenced(server: string, allow: readonly string[]): boolean {
  const prefix = `mcp__${normalizeNamePart(server)}`;
  return allow.some((entry) => entry === 'mcp__*' || entry === prefix || entry.startsWith(`${prefix}__`));
}

/**
 * The servers a run of `agent` may use. `tools` absent: every configured server and the agent's
 * own. `tools` listed: the servers its `mcp__…` entries name (`mcp__*` = all), plus the agent's own
 * `mcpServers`; when it names none but lists a resource tool, all. Servers that
 * `disallowedTools` removes whole are left out. An agent's inline server overrides a configured
 * one of the same name.
 */
export function selectServers(agent: Pick<AgentDefinition, 'tools' | 'disallowedTools' | 'extra'>, configured: Readonly<Record<string, UpstreamServerConfig>>): ServerSelection {
  const own = readAgentMcpServers(agent.extra['mcpServers'], configured);
  const byName = new Map<string, NamedServer>();
  for (const [name, config] of Object.entries(configured)) byName.set(name, { name, config, origin: 'config' });
  for (const s of own.servers) byName.set(s.name, s);
  const ownNames = new Set(own.servers.map((s) => s.name));
  let chosen = [...byName.values()];
  const allow = agent.tools;
  if (allow !== undefined) {
    const named = chosen.filter((s) => ownNames.has(s.name) || isReferenced(s.name, allow));
    chosen = named.length === 0 && allow.some((t) => RESOURCE_TOOLS.has(t)) ? chosen : named;
  }
  return { servers: chosen.filter((s) => !isWhollyDenied(s.name, agent.disallowedTools)), warnings: own.warnings };
}
