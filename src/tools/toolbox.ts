/**
 * An agent's `tools` / `disallowedTools` → the concrete tools it may use in a run. Resolved
 * once per run; the model is offered exactly these and nothing else.
 */
import type { Tool } from './tool.js';

export interface ResolvedToolbox {
  tools: Tool[];
  /** One line per listed name the server does not offer. */
  warnings: string[];
}

/** `Agent(a, b)` → `Agent`; other names unchanged. */
export function baseName(entry: string): string {
  const paren = entry.indexOf('(');
  return (paren === -1 ? entry : entry.slice(0, paren)).trim();
}

/** Does a `tools`/`disallowedTools` entry name this tool? Handles `mcp__server`, `mcp__server__*`, `mcp__*`. */
export function entryMatches(entry: string, toolName: string): boolean {
  const name = baseName(entry);
  if (name === toolName) return true;
  if (!name.startsWith('mcp__') || !toolName.startsWith('mcp__')) return false;
  if (name === 'mcp__*') return true;
  const server = name.endsWith('__*') ? name.slice(0, -3) : name;
  // `mcp__server` alone (no tool part) means the whole server.
  return server.split('__').length === 2 && toolName.startsWith(`${server}__`);
}

/**
 * The entries of an agent's `tools` that name nothing the server offers (`available`, by name),
 * leaving out entries the agent also disallows. Pure; `validate` and each run both use it.
 */
export function findUnavailableToolEntries(options: { tools?: readonly string[] | undefined; disallowedTools: readonly string[]; available: readonly string[] }): string[] {
  const { disallowedTools: deny } = options;
  const permitted = options.available.filter((name) => !deny.some((d) => entryMatches(d, name)));
  return (options.tools ?? []).filter(
    (entry) => !permitted.some((name) => entryMatches(entry, name)) && !deny.some((d) => entryMatches(d, baseName(entry))),
  );
}

/**
 * Resolve an agent's tool lists against what the server offers: denylist first, then the
 * allowlist (absent = everything left). Names the server lacks are reported, never fatal.
 */
export function resolveToolbox(options: { tools?: string[]; disallowedTools: string[]; available: Tool[] }): ResolvedToolbox {
  const { tools: allow, disallowedTools: deny, available } = options;
  const permitted = available.filter((t) => !deny.some((d) => entryMatches(d, t.name)));
  if (allow === undefined) return { tools: permitted, warnings: [] };
  const warnings = findUnavailableToolEntries({ tools: allow, disallowedTools: deny, available: available.map((t) => t.name) }).map(
    (entry) => `Tool "${entry}" is listed by the agent but not offered by this server; the run goes on without it.`,
  );
  const chosen = new Set<Tool>();
  for (const entry of allow) {
    for (const t of permitted.filter((p) => entryMatches(entry, p.name))) chosen.add(t);
  }
  // Keep the server's order, so the tool list (and the prompt cache) is stable across runs.
  return { tools: permitted.filter((t) => chosen.has(t)), warnings };
}
