/** Turning an agent name into an MCP tool name. */

/** The pattern every published tool name matches (the strictest one clients enforce, see the format doc §4). */
export const TOOL_NAME_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Longest tool name some clients accept. */
export const MAX_TOOL_NAME_LENGTH = 64;

/**
 * Make `name` valid for {@link TOOL_NAME_PATTERN}: lowercase; accents dropped; whitespace and `/`
 * become `-`; `.` becomes `_` (some model APIs reject dots); any other character becomes `-`;
 * runs of `-` or `_` collapse; leading and trailing `-` go; cut to 64 characters.
 *
 * Returns `''` when nothing usable is left (e.g. a name written only in CJK); the caller decides.
 */
export function toToolName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[\s/]+/g, '-')
    .replace(/\./g, '_')
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/_{2,}/g, '_')
    .replace(/^-+|-+$/g, '')
    .slice(0, MAX_TOOL_NAME_LENGTH)
    .replace(/-+$/, '');
}
