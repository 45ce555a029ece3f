/**
 * Answers the HTTP layer gives on its own (before a request reaches an MCP transport):
 * JSON-RPC error bodies, as the SDK's transport writes them, and small JSON documents.
 */
import type { ServerResponse } from 'node:http';

/** JSON-RPC error codes the HTTP layer uses (the SDK's transport uses the same). */
export const HTTP_ERROR_CODE = {
  /** Generic transport-level refusal (auth, Host/Origin, limits, state). */
  refused: -32000,
  sessionNotFound: -32001,
  internal: -32603,
} as const;

/** Write a JSON body with `status`, unless a response is already under way. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** Write `{"jsonrpc":"2.0","error":{code,message},"id":null}` with `status`. */
export function sendJsonRpcError(res: ServerResponse, status: number, code: number, message: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
}
