/** Model specs in agent files (`inherit`, an alias, or a full id) and how they resolve. */

import type { ModelSpec } from './definition.js';

/** The aliases Claude Code accepts in `model:`. */
export const MODEL_ALIASES = ['opus', 'sonnet', 'haiku', 'fable'] as const;

/** One of {@link MODEL_ALIASES}. */
export type ModelAlias = (typeof MODEL_ALIASES)[number];

/** What each alias means by default: current, non-deprecated ids of `@anthropic-ai/sdk` 1.12's `Model` type. */
export const DEFAULT_MODEL_ALIASES: Readonly<Record<ModelAlias, string>> = {
  opus: 'claude-opus-5-5',
  sonnet: 'claude-sonnet-5-5',
  haiku: 'claude-haiku-5-5',
  fable: 'claude-fable-5-2',
};

/** The model used for `inherit` (an agent that names no model) unless the server is told otherwise. */
export const DEFAULT_MODEL = 'claude-sonnet-5-5';

/** The spec meaning "use the caller's model". */
export const INHERIT_MODEL = 'inherit';

/** How {@link resolveModel} maps specs to ids. */
export interface ModelResolution {
  /** Alias → model id. Typed loosely so a config record fits; a missing alias falls back to {@link DEFAULT_MODEL_ALIASES}. */
  aliases: Readonly<Record<string, string>>;
  /** The id `inherit` means. */
  defaultModel: string;
}

function isModelAlias(value: string): value is ModelAlias {
  return (MODEL_ALIASES as readonly string[]).includes(value);
}

/**
 * Normalize a `model:` value as written in a file: missing or empty → `inherit`; `inherit` and
 * aliases lowercased (`Sonnet` → `sonnet`); any other text kept as written (a full id).
 * Returns `undefined` for values that are not text or a number, so the caller can warn.
 */
export function normalizeModelSpec(value: unknown): ModelSpec | undefined {
  if (value === undefined || value === null) return INHERIT_MODEL;
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return INHERIT_MODEL;
  const lower = trimmed.toLowerCase();
  return lower === INHERIT_MODEL || isModelAlias(lower) ? lower : trimmed;
}

/**
 * Turn a spec into the model id to call: `inherit` (or empty) → `defaultModel`, an alias →
 * its id from `aliases` (case-insensitive), anything else passes through unchanged (trimmed). Pure.
 * Defaults to {@link DEFAULT_MODEL_ALIASES} and {@link DEFAULT_MODEL}.
 */
export function resolveModel(
  spec: ModelSpec,
  { aliases, defaultModel }: ModelResolution = { aliases: DEFAULT_MODEL_ALIASES, defaultModel: DEFAULT_MODEL },
): string {
  const lower = spec.trim().toLowerCase();
  if (lower === '' || lower === INHERIT_MODEL) return defaultModel;
  if (isModelAlias(lower)) return aliases[lower] ?? DEFAULT_MODEL_ALIASES[lower];
  return spec.trim();
}
