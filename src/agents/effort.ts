/**
 * An agent's `effort:` (Claude Code honours it): how much the model thinks and writes, sent as
 * the Messages API's `output_config.effort`. Values the API does not document are reported by
 * `validate` and never sent, since the API would reject the whole request.
 * @see https://platform.claude.com/docs/en/build-with-claude/effort
 */

/** The levels the API documents, lowest first. */
export const EFFORT_LEVELS = ['low', 'medium', 'high', 'xhigh', 'max'] as const;

export type Effort = (typeof EFFORT_LEVELS)[number];

/** A front-matter `effort` value: the level, nothing (absent), or why it is ignored. */
export function readEffort(value: unknown): { effort?: Effort; problem?: string } {
  if (value === undefined || value === null || value === '') return {};
  const text = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
  const level = EFFORT_LEVELS.find((l) => l === text);
  if (level) return { effort: level };
  return { problem: `effort must be one of ${EFFORT_LEVELS.join(', ')}, not ${JSON.stringify(value)}; it is ignored (no effort is sent)` };
}
