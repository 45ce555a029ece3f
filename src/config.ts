/**
 * The server's configuration: one zod schema, its defaults, and how flags and environment
 * variables become a Config. Parsed once at start-up; everything downstream trusts it.
 */
import { z } from 'zod';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const ConfigSchema = z.object({
  /** Agent folders, in precedence order (the first wins on duplicate names). */
  agentDirs: z.array(z.string()).min(1),
  /** Directories the file tools may touch; the first is the working directory. */
  workspaces: z.array(z.string()).min(1),
  /** The model used for agents whose model is `inherit`. */
  defaultModel: z.string().min(1),
  /** Model ids for the aliases agents use. */
  modelAliases: z.record(z.string(), z.string()),
  /** Turn limit for agents that set no `maxTurns` (an agent's own value may only lower it). */
  maxTurns: z.number().int().positive(),
  /** Output-token cap per model turn. */
  maxOutputTokens: z.number().int().positive(),
  logLevel: z.enum(LOG_LEVELS),
  anthropic: z.object({
    apiKey: z.string().optional(),
    authToken: z.string().optional(),
    baseURL: z.string().optional(),
  }),
  /** Whether to watch agent folders and publish changes. */
  watch: z.boolean(),
  /** Longest wait on the model API: for a response to begin, and between streamed events. */
  modelTimeoutMs: z.number().int().positive(),
});

export type Config = z.infer<typeof ConfigSchema>;

export const DEFAULT_MAX_TURNS = 25;
export const DEFAULT_MAX_OUTPUT_TOKENS = 16_000;
/** The Anthropic SDK's own default request timeout. */
export const DEFAULT_MODEL_TIMEOUT_SEC = 600;

/** The Anthropic credentials and endpoint the environment provides (empty values count as unset). */
export function anthropicFromEnv(env: NodeJS.ProcessEnv): Config['anthropic'] {
  const pick = (name: string): string | undefined => (env[name] && env[name]!.trim() !== '' ? env[name] : undefined);
  const out: Config['anthropic'] = {};
  const apiKey = pick('ANTHROPIC_API_KEY');
  const authToken = pick('ANTHROPIC_AUTH_TOKEN');
  const baseURL = pick('ANTHROPIC_BASE_URL');
  if (apiKey) out.apiKey = apiKey;
  if (authToken) out.authToken = authToken;
  if (baseURL) out.baseURL = baseURL;
  return out;
}
