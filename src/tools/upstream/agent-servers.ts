/**
 * Which upstream servers one run may use: the configured ones plus the agent's own `mcpServers`
 * front matter, narrowed by its `tools` / `disallowedTools`. Only these are connected at the
 * start of the run, so an agent that lists no MCP tool never starts a server.
 *
 * An agent file that starts a process is code the operator did not write (a model with file edits
 * could write one), so an inline entry that starts a process runs only when the operator opted in
 * with `--allow-agent-mcp-servers`, only for an agent whose `tools` name that server, and never in
 * plan mode. Servers from `--mcp-config` are the operator's own and are unaffected.
 */
import type { AgentDefinition } from '../../agents/definition.js';
import type { AgentServerEntry } from '../../agents/run-fields.js';
import type { PermissionMode } from '../permissions/permission-mode.js';
import { ServerNameSchema, UpstreamServerConfigSchema, type UpstreamServerConfig } from './server-config.js';
import { normalizeNamePart } from './tool-names.js';

/** A server a run may use. */
export interface NamedServer {
  name: string;
  config: UpstreamServerConfig;
  /** `config`: from `--mcp-config`; `agent`: inline in the agent's own front matter. */
  origin: 'config' | 'agent';
}

/** What the operator allows of agent-defined servers, and the mode of the run. */
export interface AgentServerPolicy {
  /** `--allow-agent-mcp-servers`: inline entries may start processes. Default false. */
  allowAgentServers?: boolean;
  /** The run's permission mode; `plan` starts no agent-defined process. */
  mode?: PermissionMode;
}

/** The servers of a run, and what was wrong with the agent's `mcpServers` (or why one was not started). */
export interface ServerSelection {
  servers: NamedServer[];
  warnings: string[];
}

/** Resource tools work on the servers a run may use; listing one alone asks for every server. */
const RESOURCE_TOOLS: ReadonlySet<string> = new Set(['ListMcpResourcesTool', 'ReadMcpResourceTool']);

/**
 * The agent's `mcpServers` (read at load into names and `{name: config}` maps) resolved: names
 * against the configured servers, inline configs checked. Inline
 * configs are taken literally: no `${VAR}` expansion, so an agent file cannot pull secrets
 * out of the server's environment.
 */
export function readAgentMcpServers(
  entries: readonly AgentServerEntry[] | undefined,
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
  for (const entry of entries ?? []) {
    if (typeof entry === 'string') addReference(entry);
    else for (const [name, raw] of Object.entries(entry)) addInline(name, raw);
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

/** Why an agent-defined server may not run, or undefined when it may. */
function refuseAgentServer(server: NamedServer, allow: readonly string[] | undefined, policy: AgentServerPolicy): string | undefined {
  const starts = server.config.type === 'stdio' ? `starts a process (${server.config.command})` : `connects to ${server.config.url}`;
  if (allow === undefined || !isReferenced(server.name, allow)) {
    return `mcpServers.${server.name} ${starts}, but the agent's tools do not grant it (list mcp__${normalizeNamePart(server.name)} in tools); not started`;
  }
  if (server.config.type !== 'stdio') return undefined;
  if (policy.mode === 'plan') return `mcpServers.${server.name} ${starts}, which plan mode never does; not started`;
  if (policy.allowAgentServers !== true) {
    return `mcpServers.${server.name} ${starts}, which needs the operator's --allow-agent-mcp-servers (the server was started without it); not started`;
  }
  return undefined;
}

/**
 * The servers a run of `agent` may use. `tools` absent: every configured server. `tools` listed:
 * the servers its `mcp__…` entries name (`mcp__*` = all); when it names none but lists a resource
 * tool, all configured ones. The agent's own inline servers join only as {@link refuseAgentServer}
 * allows (and then override a configured one of the same name). Servers that `disallowedTools`
 * removes whole are left out.
 */
export function selectServers(
  agent: Pick<AgentDefinition, 'tools' | 'disallowedTools' | 'mcpServers'>,
  configured: Readonly<Record<string, UpstreamServerConfig>>,
  policy: AgentServerPolicy = {},
): ServerSelection {
  const own = readAgentMcpServers(agent.mcpServers, configured);
  const warnings = [...own.warnings];
  const allow = agent.tools;
  const byName = new Map<string, NamedServer>();
  for (const [name, config] of Object.entries(configured)) byName.set(name, { name, config, origin: 'config' });
  const granted = new Set<string>();
  for (const s of own.servers) {
    if (s.origin === 'config') {
      granted.add(s.name);
      continue;
    }
    const refusal = refuseAgentServer(s, allow, policy);
    if (refusal !== undefined) warnings.push(refusal);
    else {
      byName.set(s.name, s);
      granted.add(s.name);
    }
  }
  let chosen = [...byName.values()];
  if (allow !== undefined) {
    const named = chosen.filter((s) => granted.has(s.name) || isReferenced(s.name, allow));
    chosen = named.length === 0 && allow.some((t) => RESOURCE_TOOLS.has(t)) ? chosen.filter((s) => s.origin === 'config') : named;
  }
  return { servers: chosen.filter((s) => !isWhollyDenied(s.name, agent.disallowedTools)), warnings };
}

/** One agent-defined server and whether this server would run it. */
export interface AgentServerReport {
  name: string;
  /** What it does: `starts a process (cmd)` or `connects to URL`. */
  does: string;
  runs: boolean;
  /** Why not, when it does not run. */
  reason?: string;
}

/**
 * The agent's inline `mcpServers` and whether they would run under `policy` (outside plan mode),
 * for `validate` and `agents://index`.
 */
export function reportAgentServers(agent: Pick<AgentDefinition, 'tools' | 'mcpServers'>, policy: AgentServerPolicy): AgentServerReport[] {
  return readAgentMcpServers(agent.mcpServers, {})
    .servers.filter((s) => s.origin === 'agent')
    .map((s) => {
      const reason = refuseAgentServer(s, agent.tools, policy);
      const does = s.config.type === 'stdio' ? `starts a process (${[s.config.command, ...s.config.args].join(' ').slice(0, 120)})` : `connects to ${s.config.url}`;
      return { name: s.name, does, runs: reason === undefined, ...(reason === undefined ? {} : { reason }) };
    });
}
