/**
 * A scripted fake of the Anthropic Messages API on 127.0.0.1, for pointing the real
 * @anthropic-ai/sdk at (baseURL / ANTHROPIC_BASE_URL) in tests. It speaks the wire format:
 * JSON for non-streaming requests, SSE (`event:` + `data:` lines) for `stream: true`.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  parseMessagesBody,
  type RecordedRequest,
  type ScriptedRequest,
  type UnexpectedRequest,
} from './request.js';
import { createThinkingSigner, findRuleViolation } from './rules.js';
import { describeStep, reply, type ApiErrorSpec, type ReplyStep, type Step } from './steps.js';
import {
  createErrorBody,
  encodeSseFrame,
  isRetryableStatus,
  renderReply,
  statusForErrorType,
  type RenderedReply,
  type SseFrame,
} from './wire.js';

export type { MessagesRequestBody, RecordedRequest, ScriptedRequest, UnexpectedRequest } from './request.js';
export type {
  ApiErrorSpec,
  BlockSpec,
  DelayStep,
  FakeUsage,
  HangStep,
  HttpErrorOptions,
  HttpErrorStep,
  MalformedStep,
  RawStreamStep,
  ReplyOptions,
  ReplyStep,
  SlowStreamStep,
  Step,
  StepFunction,
  StreamCutStep,
  StreamErrorStep,
  TextSpec,
  ThinkingSpec,
  ToolUseSpec,
} from './steps.js';
export { MAX_CACHE_BREAKPOINTS } from './rules.js';
export {
  apiError,
  delay,
  hang,
  httpError,
  malformedSse,
  MALFORMED_SSE_BODY,
  rawStream,
  reply,
  slowStream,
  streamCut,
  streamError,
  text,
  thinking,
  toolUse,
} from './steps.js';

/** Largest request body the fake reads; bigger ones get 413 `request_too_large`. */
export const DEFAULT_MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Options of {@link startFakeAnthropic}. */
export interface FakeAnthropicOptions {
  /**
   * When set, a request must carry `Authorization: Bearer <apiKey>` or `x-api-key: <apiKey>`,
   * else it gets 401 `authentication_error` (not counted as unexpected, no step consumed).
   */
  apiKey?: string;
  /** Default {@link DEFAULT_MAX_BODY_BYTES}. */
  maxBodyBytes?: number;
}

/** A running fake; see {@link startFakeAnthropic}. */
export interface FakeAnthropic {
  /** e.g. `http://127.0.0.1:54321`: pass as `baseURL` or `ANTHROPIC_BASE_URL`. */
  readonly url: string;
  /** Queue steps; each request to POST /v1/messages consumes the next one. */
  script(...steps: Step[]): void;
  /** Every request received, in arrival order, including rejected and unexpected ones. */
  readonly requests: readonly RecordedRequest[];
  /** Requests that found an empty script, a wrong path, or an invalid body or headers. */
  readonly unexpected: readonly UnexpectedRequest[];
  /** How many scripted steps are still unconsumed. */
  readonly remaining: number;
  /**
   * Resolves once `count` requests have been received (at once if they already have).
   * Rejects if the server closes first.
   */
  waitForRequests(count: number): Promise<readonly RecordedRequest[]>;
  /**
   * Resolves once the response to request #`index` (1-based arrival order) has closed:
   * `finished` is false when the client went away (e.g. aborted) before the response ended.
   */
  waitForResponseClosed(index: number): Promise<{ finished: boolean }>;
  /** Throws if scripted steps remain unconsumed or any request was unexpected. */
  assertComplete(): void;
  /**
   * Stop listening, release hanging and delayed responses, and destroy every open socket
   * (keep-alive included). Safe to call twice.
   */
  close(): Promise<void>;
}

interface Exchange {
  request: ScriptedRequest;
  res: ServerResponse;
  /** Aborted when the client goes away or the server closes. */
  signal: AbortSignal;
  streaming: boolean;
  requestId: string;
  chunkDelayMs: number;
}

interface Waiter {
  count: number;
  resolve: (requests: readonly RecordedRequest[]) => void;
  reject: (error: Error) => void;
}

/**
 * Start a fake Anthropic Messages API on 127.0.0.1 with an OS-assigned port.
 *
 * A request that breaks a rule of the real API (rules.ts: signed thinking blocks, cache
 * breakpoints, effort) gets the API's 400 `invalid_request_error`, consumes no step, and is
 * recorded in `unexpected`: our client must never send one.
 *
 * Each POST /v1/messages consumes one scripted {@link Step}. A request that finds the script
 * empty gets 500 `fake-anthropic: unexpected request #n` with `x-should-retry: false` (so the
 * SDK does not retry it), and is recorded in `unexpected`, which makes `assertComplete` throw.
 * @throws if the server cannot listen.
 */
export async function startFakeAnthropic(options: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const steps: Step[] = [];
  const requests: RecordedRequest[] = [];
  const unexpected: UnexpectedRequest[] = [];
  const waiters: Waiter[] = [];
  const closing = new AbortController();
  let arrivals = 0;
  let messageCount = 0;
  let toolUseCount = 0;
  const signer = createThinkingSigner();
  let closed: Promise<void> | undefined;
  const responseClosed = new Map<number, { promise: Promise<{ finished: boolean }>; resolve: (v: { finished: boolean }) => void }>();
  function closedEntry(index: number): { promise: Promise<{ finished: boolean }>; resolve: (v: { finished: boolean }) => void } {
    let entry = responseClosed.get(index);
    if (!entry) {
      let resolve!: (v: { finished: boolean }) => void;
      const promise = new Promise<{ finished: boolean }>((r) => (resolve = r));
      entry = { promise, resolve };
      responseClosed.set(index, entry);
    }
    return entry;
  }

  const server = createServer((req, res) => {
    void handleRequest(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  function record(request: RecordedRequest): void {
    requests.push(request);
    for (const w of waiters.filter((w) => requests.length >= w.count)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(requests.slice());
    }
  }

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const receivedAt = performance.now();
    const index = ++arrivals;
    const requestId = `req_fake_${index}`;
    const clientGone = new AbortController();
    res.on('close', () => {
      clientGone.abort();
      closedEntry(index).resolve({ finished: res.writableFinished });
    });
    const signal = AbortSignal.any([closing.signal, clientGone.signal]);
    try {
      const rawBody = await readBody(req, maxBodyBytes);
      const request: RecordedRequest = {
        index,
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        rawBody: rawBody ?? '',
        body: rawBody === undefined ? null : parseMessagesBody(rawBody),
        receivedAt,
      };
      res.once('finish', () => {
        request.respondedAt = performance.now();
      });
      record(request);
      const reject = (status: number, error: ApiErrorSpec, reason?: string): void => {
        if (reason !== undefined) unexpected.push({ request, reason });
        // Never invite an SDK retry: it would only repeat the same rejection.
        sendError(res, { status, error, requestId, shouldRetry: false });
      };

      if (rawBody === undefined) {
        return reject(413, { type: 'request_too_large', message: `Request exceeds the maximum size of ${maxBodyBytes} bytes` }, 'body too large');
      }
      if (options.apiKey !== undefined && !isAuthorized(req, options.apiKey)) {
        return reject(401, { type: 'authentication_error', message: 'invalid x-api-key' });
      }
      const pathname = new URL(request.path, 'http://fake').pathname;
      if (request.method !== 'POST' || pathname !== '/v1/messages') {
        return reject(404, { type: 'not_found_error', message: 'Not Found' }, `no route for ${request.method} ${request.path}`);
      }
      if (!req.headers['anthropic-version']) {
        return reject(400, { type: 'invalid_request_error', message: 'anthropic-version: header is required' }, 'missing anthropic-version header');
      }
      if (request.body === null) {
        return reject(400, { type: 'invalid_request_error', message: 'fake-anthropic: body is not a valid Messages request' }, 'invalid request body');
      }
      const violation = findRuleViolation(request.body, signer);
      if (violation !== undefined) {
        return reject(400, { type: 'invalid_request_error', message: violation }, `rejected as the real API would: ${violation}`);
      }
      const step = steps.shift();
      if (step === undefined) {
        const message = `fake-anthropic: unexpected request #${index} (the script is empty)`;
        return reject(500, { type: 'api_error', message }, message);
      }
      const scripted: ScriptedRequest = { ...request, body: request.body };
      await play(step, { request: scripted, res, signal, streaming: request.body.stream === true, requestId, chunkDelayMs: 0 });
    } catch (error) {
      if (signal.aborted) {
        res.destroy();
        return;
      }
      // A function step threw, or writing failed: a test bug worth surfacing.
      const message = `fake-anthropic: request #${index} failed: ${error instanceof Error ? error.message : String(error)}`;
      const request = requests.find((r) => r.index === index);
      if (request) unexpected.push({ request, reason: message });
      if (res.headersSent) res.destroy();
      else sendError(res, { status: 500, error: { type: 'api_error', message }, requestId, shouldRetry: false });
    }
  }

  async function play(step: Step, ex: Exchange): Promise<void> {
    if (typeof step === 'function') return play(await step(ex.request), ex);
    switch (step.kind) {
      case 'text':
      case 'tool_use':
      case 'thinking':
        return play(reply([step]), ex);
      case 'reply': {
        const rendered = render(step, ex.request);
        if (!ex.streaming) return sendJson(ex.res, 200, rendered.message, ex.requestId);
        openSse(ex);
        await writeFrames(ex, rendered.frames);
        ex.res.end();
        return;
      }
      case 'http_error':
        return sendError(ex.res, { ...step, requestId: ex.requestId });
      case 'stream_cut': {
        const rendered = render(step.reply, ex.request);
        if (ex.streaming) {
          openSse(ex);
          await writeFrames(ex, rendered.frames.slice(0, step.afterEvents));
        } else {
          const body = JSON.stringify(rendered.message);
          ex.res.writeHead(200, jsonHeaders(ex.requestId, Buffer.byteLength(body)));
          await write(ex.res, body.slice(0, Math.floor(body.length / 2)));
        }
        ex.res.destroy();
        return;
      }
      case 'stream_error': {
        if (!ex.streaming) {
          return sendError(ex.res, { status: statusForErrorType(step.error.type), error: step.error, requestId: ex.requestId });
        }
        const rendered = render(step.reply, ex.request);
        openSse(ex, step.retryAfter !== undefined ? { 'retry-after': String(step.retryAfter) } : {});
        await writeFrames(ex, [
          ...rendered.frames.slice(0, step.afterEvents),
          { event: 'error', data: createErrorBody(step.error, ex.requestId) },
        ]);
        ex.res.end();
        return;
      }
      case 'malformed':
        if (ex.streaming) openSse(ex);
        else ex.res.writeHead(200, jsonHeaders(ex.requestId, Buffer.byteLength(step.raw)));
        ex.res.end(step.raw);
        return;
      case 'raw_stream':
        openSse(ex);
        if (step.body !== '') await write(ex.res, step.body);
        if (step.then === 'end') ex.res.end();
        else if (step.then === 'cut') ex.res.destroy();
        else {
          await waitForAbort(ex.signal);
          ex.res.destroy();
        }
        return;
      case 'hang':
        await waitForAbort(ex.signal);
        ex.res.destroy();
        return;
      case 'delay':
        await sleep(step.ms, undefined, { signal: ex.signal });
        return play(step.step, ex);
      case 'slow_stream':
        return play(step.step, { ...ex, chunkDelayMs: step.chunkDelayMs });
    }
  }

  function render(step: ReplyStep, request: ScriptedRequest): RenderedReply {
    return renderReply(step, {
      messageId: `msg_fake_${++messageCount}`,
      model: request.body.model,
      requestBytes: Buffer.byteLength(request.rawBody),
      nextToolUseId: () => `toolu_fake_${++toolUseCount}`,
      signThinking: (text, blocksBefore) =>
        signer.sign(text, { system: request.body.system, tools: request.body.tools, messages: request.body.messages, blocksBefore }),
    });
  }

  return {
    url: `http://127.0.0.1:${port}`,
    script(...more: Step[]): void {
      steps.push(...more);
    },
    get requests(): readonly RecordedRequest[] {
      return requests;
    },
    get unexpected(): readonly UnexpectedRequest[] {
      return unexpected;
    },
    get remaining(): number {
      return steps.length;
    },
    waitForRequests(count: number): Promise<readonly RecordedRequest[]> {
      if (requests.length >= count) return Promise.resolve(requests.slice());
      if (closing.signal.aborted) return Promise.reject(new Error('fake-anthropic: server is closed'));
      return new Promise((resolve, reject) => waiters.push({ count, resolve, reject }));
    },
    waitForResponseClosed(index: number): Promise<{ finished: boolean }> {
      return closedEntry(index).promise;
    },
    assertComplete(): void {
      const problems: string[] = [];
      if (steps.length > 0) {
        problems.push(`${steps.length} scripted step(s) never requested: ${steps.map(describeStep).join(', ')}`);
      }
      for (const u of unexpected) problems.push(`request #${u.request.index} ${u.request.method} ${u.request.path}: ${u.reason}`);
      if (problems.length > 0) throw new Error(`fake-anthropic: script not complete:\n- ${problems.join('\n- ')}`);
    },
    close(): Promise<void> {
      closed ??= new Promise<void>((resolve) => {
        closing.abort();
        for (const w of waiters.splice(0)) {
          w.reject(new Error(`fake-anthropic: closed after ${requests.length} of ${w.count} requests`));
        }
        server.close(() => resolve());
        // close() alone waits for keep-alive and hanging sockets; end them now.
        server.closeAllConnections();
      });
      return closed;
    },
  };
}

function isAuthorized(req: IncomingMessage, apiKey: string): boolean {
  return req.headers.authorization === `Bearer ${apiKey}` || req.headers['x-api-key'] === apiKey;
}

/** The whole body as text, or undefined once it exceeds `maxBytes`. */
async function readBody(req: IncomingMessage, maxBytes: number): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of req) {
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    size += buf.length;
    // Keep draining so the client sees our 413 rather than a reset.
    if (size > maxBytes) tooLarge = true;
    else chunks.push(buf);
  }
  return tooLarge ? undefined : Buffer.concat(chunks).toString('utf8');
}

function jsonHeaders(requestId: string, contentLength: number): Record<string, string | number> {
  return { 'content-type': 'application/json', 'content-length': contentLength, 'request-id': requestId };
}

function sendJson(res: ServerResponse, status: number, body: object, requestId: string, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { ...jsonHeaders(requestId, Buffer.byteLength(text)), ...extra });
  res.end(text);
}

function sendError(
  res: ServerResponse,
  e: { status: number; error: ApiErrorSpec; requestId: string; retryAfter?: number; retryAfterMs?: number; shouldRetry?: boolean },
): void {
  const headers: Record<string, string> = { 'x-should-retry': String(e.shouldRetry ?? isRetryableStatus(e.status)) };
  if (e.retryAfter !== undefined) headers['retry-after'] = String(e.retryAfter);
  if (e.retryAfterMs !== undefined) headers['retry-after-ms'] = String(e.retryAfterMs);
  sendJson(res, e.status, createErrorBody(e.error, e.requestId), e.requestId, headers);
}

function openSse(ex: Exchange, extra: Record<string, string> = {}): void {
  ex.res.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'request-id': ex.requestId,
    ...extra,
  });
  // Send the headers now, so the SDK connects even while a slow stream waits for its first event.
  ex.res.flushHeaders();
}

async function writeFrames(ex: Exchange, frames: SseFrame[]): Promise<void> {
  for (const frame of frames) {
    if (ex.chunkDelayMs > 0) await sleep(ex.chunkDelayMs, undefined, { signal: ex.signal });
    await write(ex.res, encodeSseFrame(frame));
  }
}

/** Resolves once the chunk is handed to the socket, so a following destroy() cannot drop it. */
function write(res: ServerResponse, chunk: string): Promise<void> {
  return new Promise((resolve, reject) => {
    res.write(chunk, (error) => (error ? reject(error) : resolve()));
  });
}

function waitForAbort(signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}
