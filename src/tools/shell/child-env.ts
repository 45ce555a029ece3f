/**
 * The environment a Bash command gets: an allow-list of harmless variables from the server's own
 * environment, never all of it. API keys and tokens (ANTHROPIC_*, AGENTS_MCP_*) are never passed,
 * even if someone adds them to the list.
 */

/** Variables copied from the server's environment when set. */
export const CHILD_ENV_ALLOWLIST: readonly string[] = [
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'LC_ALL',
  'LC_CTYPE',
  'LC_MESSAGES',
  'LC_COLLATE',
  'LC_NUMERIC',
  'LC_TIME',
  'TERM',
  'TZ',
  'TMPDIR',
];

/** Prefixes that are never passed, whatever the allow-list says. */
const NEVER_PASSED = /^(ANTHROPIC_|AGENTS_MCP_)/;

/** Variables every command gets, whatever the server's environment holds. */
const FIXED: Readonly<Record<string, string>> = {
  // Nobody can type a password into a sub-agent's git: fail at once instead of waiting.
  GIT_TERMINAL_PROMPT: '0',
};

/**
 * The environment for a child process: the allow-listed variables of `source` that are set,
 * plus fixed values; `PATH` falls back to a standard one when the server has none.
 */
export function createChildEnv(source: NodeJS.ProcessEnv = process.env, allowlist: readonly string[] = CHILD_ENV_ALLOWLIST): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of allowlist) {
    const value = source[name];
    if (value !== undefined && !NEVER_PASSED.test(name)) env[name] = value;
  }
  env['PATH'] ??= '/usr/local/bin:/usr/bin:/bin';
  return { ...env, ...FIXED };
}
