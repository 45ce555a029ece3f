/**
 * A POST body read once, capped, and parsed, so the era can be told before either leg handles
 * the request (each leg then takes the parsed body instead of reading the stream again).
 */
import type { IncomingMessage } from 'node:http';

/** The body as JSON, or why there is none: too large (413) or not JSON (400, parse error). */
export type BodyRead = { ok: true; parsed: unknown } | { ok: false; status: 413 | 400; code: number; message: string };

/** Read `req`'s body, refusing it past `maxBytes` (also when Content-Length says so up front). */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<BodyRead> {
  const tooLarge: BodyRead = { ok: false, status: 413, code: -32000, message: `Payload Too Large: Request body must not exceed ${maxBytes} bytes` };
  if (Number(req.headers['content-length']) > maxBytes) return tooLarge;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > maxBytes) return tooLarge;
    chunks.push(buffer);
  }
  try {
    return { ok: true, parsed: JSON.parse(Buffer.concat(chunks).toString('utf8')) };
  } catch {
    return { ok: false, status: 400, code: -32700, message: 'Parse error: Invalid JSON' };
  }
}
