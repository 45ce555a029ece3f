/**
 * Which protocol era a connection or request speaks. 2026-07-28 requests carry their protocol
 * version in `_meta` (and a connection may open with `server/discover`); everything else,
 * `initialize` first of all, is the 2025 era. HTTP asks the SDK (`isLegacyRequest`); stdio decides
 * once, on the first line, with this.
 */
/** The SDK's PROTOCOL_VERSION_META_KEY, written out so that the 2025 path loads no SDK v2. */
const PROTOCOL_VERSION_META_KEY = 'io.modelcontextprotocol/protocolVersion';

/** True when an HTTP request may claim the 2026 era (its `_meta` or its MCP-Protocol-Version says so); only then is the SDK asked. */
export function mayBeModernRequest(body: { params?: { _meta?: Record<string, unknown> } }, protocolVersionHeader: string | undefined): boolean {
  if (protocolVersionHeader !== undefined && protocolVersionHeader >= '2026') return true;
  const meta = body.params?._meta;
  return meta !== undefined && Object.keys(meta).some((key) => key.startsWith('io.modelcontextprotocol/'));
}

/**
 * True when an HTTP request claims 2026 both ways, its MCP-Protocol-Version header and its `_meta`
 * envelope, and is not an `initialize`: the SDK's classifier can only call it 2026 (or refuse its
 * envelope, which the 2026 handler does as well), so asking it first would build a second web
 * Request and validate the envelope twice per call.
 */
export function claimsModernBothWays(body: { method?: unknown; params?: { _meta?: Record<string, unknown> } }, protocolVersionHeader: string | undefined): boolean {
  return protocolVersionHeader !== undefined && protocolVersionHeader >= '2026' && body.method !== 'initialize' && typeof body.params?._meta?.[PROTOCOL_VERSION_META_KEY] === 'string';
}

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
