/**
 * Reading `--mcp-config` files: mcp.json-style JSON (`{"mcpServers": {…}}`), with `${VAR}` and
 * `${VAR:-default}` expanded from the environment as Claude Code does. Every problem names the
 * file and the key.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import { McpConfigFileSchema, type UpstreamServerConfig } from './server-config.js';

/** A config file that cannot be used, with the file and key in the message. */
export class McpConfigError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** `${NAME}` or `${NAME:-default}`. */
const ENV_REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/**
 * Expand `${VAR}` / `${VAR:-default}` in `text`.
 * @throws McpConfigError when a variable is unset and has no default.
 */
export function expandEnvReferences(text: string, env: NodeJS.ProcessEnv, where: string): string {
  return text.replace(ENV_REFERENCE, (_match, name: string, fallback: string | undefined) => {
    const value = env[name];
    if (value !== undefined) return value;
    if (fallback !== undefined) return fallback;
    throw new McpConfigError(`${where}: environment variable ${name} is not set and has no default (write \${${name}:-default} to give one)`);
  });
}

function expandAll(config: UpstreamServerConfig, env: NodeJS.ProcessEnv, where: string): UpstreamServerConfig {
  const x = (text: string, key: string): string => expandEnvReferences(text, env, `${where}.${key}`);
  const map = (m: Record<string, string>, key: string): Record<string, string> =>
    Object.fromEntries(Object.entries(m).map(([k, v]) => [k, x(v, `${key}.${k}`)]));
  if (config.type === 'stdio') {
    return {
      ...config,
      command: x(config.command, 'command'),
      args: config.args.map((a, i) => x(a, `args.${i}`)),
      env: map(config.env, 'env'),
      ...(config.cwd !== undefined ? { cwd: x(config.cwd, 'cwd') } : {}),
    };
  }
  return { ...config, url: x(config.url, 'url'), headers: map(config.headers, 'headers') };
}

function formatIssues(file: string, error: z.ZodError): string {
  return error.issues.map((i) => `${file}: ${i.path.length > 0 ? i.path.map(String).join('.') : '(top level)'}: ${i.message}`).join('\n');
}

/**
 * Read one config file into its servers. Relative `cwd`s are resolved against the file's folder.
 * @throws McpConfigError naming the file (and key) when it cannot be read, is not JSON, does not
 * have the expected shape, or refers to an unset environment variable.
 */
export function readMcpConfigFile(file: string, env: NodeJS.ProcessEnv): Record<string, UpstreamServerConfig> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new McpConfigError(`${file}: cannot read the MCP config file (${(err as NodeJS.ErrnoException).code ?? String(err)})`, { cause: err });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new McpConfigError(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`, { cause: err });
  }
  const parsed = McpConfigFileSchema.safeParse(json);
  if (!parsed.success) throw new McpConfigError(formatIssues(file, parsed.error));
  const servers: Record<string, UpstreamServerConfig> = {};
  for (const [name, config] of Object.entries(parsed.data.mcpServers)) {
    const expanded = expandAll(config, env, `${file}: mcpServers.${name}`);
    servers[name] =
      expanded.type === 'stdio' && expanded.cwd !== undefined ? { ...expanded, cwd: path.resolve(path.dirname(file), expanded.cwd) } : expanded;
  }
  return servers;
}

/**
 * Read every `--mcp-config` file, in order, into one set of servers.
 * @throws McpConfigError for a bad file, or for a server name defined in two files (naming both).
 */
export function readMcpConfigFiles(files: readonly string[], env: NodeJS.ProcessEnv): Record<string, UpstreamServerConfig> {
  const servers: Record<string, UpstreamServerConfig> = {};
  const origin = new Map<string, string>();
  for (const file of files) {
    for (const [name, config] of Object.entries(readMcpConfigFile(file, env))) {
      const first = origin.get(name);
      if (first !== undefined) throw new McpConfigError(`${file}: mcpServers.${name}: server "${name}" is already defined in ${first}; rename one of them`);
      origin.set(name, file);
      servers[name] = config;
    }
  }
  return servers;
}
