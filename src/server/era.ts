/**
 * Which protocol era a connection or request speaks. 2026-07-28 requests carry their protocol
 * version in `_meta` (and a connection may open with `server/discover`); everything else,
 * `initialize` first of all, is the 2025 era. HTTP asks the SDK (`isLegacyRequest`); stdio decides
 * once, on the first line, with this.
 */
import { PROTOCOL_VERSION_META_KEY } from '@modelcontextprotocol/server';

/** True when the first JSON-RPC line of a stdio connection opens the 2026 era. */
export function isModernOpening(line: string): boolean {
  let message: unknown;
  try {
    message = JSON.parse(line);
  } catch {
    // Not JSON: the 2025 transport answers it with a parse error, as it always did.
    return false;
  }
  if (typeof message !== 'object' || message === null) return false;
  const { method, params } = message as { method?: unknown; params?: { _meta?: Record<string, unknown> } };
  if (method === 'initialize') return false;
  if (method === 'server/discover') return true;
  const version = params?._meta?.[PROTOCOL_VERSION_META_KEY];
  return typeof version === 'string';
}
