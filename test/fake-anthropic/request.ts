/**
 * What the fake records about each request, and the one place its JSON body is parsed.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';

/**
 * The parts of a Messages API request body the fake looks at; other fields are kept as-is.
 * @see https://platform.claude.com/docs/en/api/messages
 */
export const messagesRequestBodySchema = z.looseObject({
  model: z.string(),
  max_tokens: z.number(),
  messages: z.array(
    z.looseObject({
      role: z.string(),
      content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]),
    }),
  ),
  system: z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string() }))]).optional(),
  tools: z.array(z.looseObject({ name: z.string() })).optional(),
  stream: z.boolean().optional(),
});

/** A parsed Messages API request body. */
export type MessagesRequestBody = z.infer<typeof messagesRequestBodySchema>;

/** One request as the fake received it. */
export interface RecordedRequest {
  /** 1-based arrival order. */
  index: number;
  method: string;
  /** Path with query, e.g. `/v1/messages`. */
  path: string;
  /** Lower-cased header names, as node:http gives them. */
  headers: IncomingHttpHeaders;
  rawBody: string;
  /** The parsed body, or null when it was not a valid Messages request. */
  body: MessagesRequestBody | null;
  /** `performance.now()` when the request arrived (before its body was read). */
  receivedAt: number;
  /**
   * `performance.now()` when the response was fully handed to the socket; unset while it is
   * under way and for responses that were cut or abandoned. Benchmarks subtract
   * `respondedAt - receivedAt` (the fake's own time) from a call's wall time.
   */
  respondedAt?: number;
}

/** A valid Messages request: what function steps receive. */
export interface ScriptedRequest extends RecordedRequest {
  body: MessagesRequestBody;
}

/** A request the script did not expect, and why. */
export interface UnexpectedRequest {
  request: RecordedRequest;
  reason: string;
}

/** Parse a raw body as a Messages request; null when it is not JSON or lacks required fields. */
export function parseMessagesBody(rawBody: string): MessagesRequestBody | null {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch {
    return null;
  }
  const parsed = messagesRequestBodySchema.safeParse(json);
  return parsed.success ? parsed.data : null;
}
