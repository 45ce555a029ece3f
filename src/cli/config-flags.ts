/**
 * Config schema paths → the flag (and environment variable) a person sets, so that a bad value is
 * reported as `--auth-token: …`, never as the internal `http.authToken: …`.
 */
import type { z } from 'zod';

/** Where each Config field comes from on the command line. */
const FLAG_OF_PATH: Readonly<Record<string, string>> = {
  agentDirs: '--agents',
  workspaces: '--workspace',
  defaultModel: '--model (or AGENTS_MCP_MODEL)',
  'modelAliases.opus': '--opus-model',
  'modelAliases.sonnet': '--sonnet-model',
  'modelAliases.haiku': '--haiku-model',
  'modelAliases.fable': '--fable-model',
  maxTurns: '--max-turns',
  maxOutputTokens: '--max-output-tokens',
  logLevel: '--log-level (or LOG_LEVEL)',
  modelBackend: '--model-backend',
  maxDepth: '--max-depth',
  maxDurationMs: '--max-duration',
  maxCostUsd: '--max-cost-usd',
  maxConcurrentRuns: '--max-concurrent-runs',
  runsDir: '--runs-dir',
  progressIntervalMs: '--progress-interval',
  permissionMode: '--permission-mode',
  allowBash: '--allow-bash',
  bashSandbox: '--bash-sandbox',
  transport: '--transport',
  modelTimeoutMs: '--model-timeout',
  'http.host': '--host',
  'http.port': '--port',
  'http.path': '--path',
  'http.stateless': '--stateless',
  'http.authToken': '--auth-token (or AGENTS_MCP_AUTH_TOKEN)',
  'http.authTokensFile': '--auth-tokens',
  'http.allowedHosts': '--allowed-hosts',
  'http.allowedOrigins': '--allowed-origins',
  'http.maxSessions': '--max-sessions',
  'http.sessionIdleTimeoutMs': '--session-idle-timeout',
  'http.maxBodyBytes': '--max-body-bytes',
};

/** The flag behind a schema path: the longest known prefix (`allowBash.0` → `--allow-bash`), else the path. */
export function flagForConfigPath(segments: ReadonlyArray<PropertyKey>): string {
  for (let n = segments.length; n > 0; n--) {
    const flag = FLAG_OF_PATH[segments.slice(0, n).map(String).join('.')];
    if (flag !== undefined) return flag;
  }
  return segments.map(String).join('.');
}

/** Each issue as `<flag>: <message>`, joined with `; `. */
export function describeConfigIssues(issues: ReadonlyArray<z.core.$ZodIssue>): string {
  return issues.map((issue) => `${flagForConfigPath(issue.path)}: ${issue.message}`).join('; ');
}
