/**
 * Token counts in the Messages API's own names, and their sum over a run. What they cost is
 * prices.ts's job.
 */
import { z } from 'zod';

/** Token counts in the Messages API's own names, so they map 1:1 to what the API reports. */
export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  /** Web searches the API ran (server tool `web_search`, billed per search); absent = none. */
  web_search_requests?: number;
}

/** Usage as stored (run records, checkpoints), checked when read back. */
export const UsageSchema = z.object({
  input_tokens: z.number(),
  output_tokens: z.number(),
  cache_creation_input_tokens: z.number(),
  cache_read_input_tokens: z.number(),
  web_search_requests: z.number().optional(),
});

/** Usage of nothing. */
export function emptyUsage(): Usage {
  return { input_tokens: 0, output_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 };
}

/** The sum of two usages (a new object). */
export function addUsage(a: Usage, b: Usage): Usage {
  const searches = (a.web_search_requests ?? 0) + (b.web_search_requests ?? 0);
  return {
    input_tokens: a.input_tokens + b.input_tokens,
    output_tokens: a.output_tokens + b.output_tokens,
    cache_creation_input_tokens: a.cache_creation_input_tokens + b.cache_creation_input_tokens,
    cache_read_input_tokens: a.cache_read_input_tokens + b.cache_read_input_tokens,
    ...(searches > 0 ? { web_search_requests: searches } : {}),
  };
}
