/**
 * Which model backend runs a call. Decided per call, because sampling belongs to the calling
 * MCP session: the same server may run one caller's agents on the Anthropic API and another's
 * on that caller's own model.
 */
import { ModelError, type ModelClient } from './model.js';
import { createSamplingClient, type SamplingAccess } from './sampling.js';

/** `--model-backend`: `auto` (default), or one backend forced. */
export type ModelBackendMode = 'auto' | 'anthropic' | 'sampling';

export interface BackendChoice {
  mode: ModelBackendMode;
  /** The Anthropic client, when credentials are set; undefined otherwise. */
  anthropic: ModelClient | undefined;
  /** The calling session's sampling, when its client declared the capability. */
  sampling: SamplingAccess | undefined;
}

/**
 * Pick the backend for one call, or a ModelError saying why there is none.
 * - `anthropic`: the Anthropic client, else `no_credentials`.
 * - `sampling`: the caller's sampling, else `sampling_unsupported`.
 * - `auto`: Anthropic when credentials are set, else sampling when the client offers it
 *   (a client without `sampling.tools` still runs agents that have no tools), else `no_backend`,
 *   whose advice names both ways out.
 */
export function chooseModelClient(choice: BackendChoice): ModelClient | ModelError {
  const { mode, anthropic, sampling } = choice;
  if (mode === 'anthropic' || (mode === 'auto' && anthropic)) {
    return anthropic ?? new ModelError('no_credentials', 'No Anthropic credentials are set, so agents cannot run (--model-backend anthropic).');
  }
  if (sampling) return createSamplingClient(sampling);
  if (mode === 'sampling') {
    return new ModelError(
      'sampling_unsupported',
      'The server runs agents through MCP sampling (--model-backend sampling), but this MCP client did not declare the sampling capability.',
    );
  }
  return new ModelError(
    'no_backend',
    'No model to run the agent on: no Anthropic credentials are set in the server environment, and this MCP client did not declare the sampling capability.',
  );
}
