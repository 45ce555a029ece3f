import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { createLogger } from '../log.js';
import { createSessionRegistry, type HttpSession } from './http-sessions.js';

const logger = createLogger({ level: 'silent' });

function session(id: string): { session: HttpSession; closed: () => boolean } {
  const server = new Server({ name: 't', version: '0' }, { capabilities: {} });
  let closed = false;
  server.onclose = () => {
    closed = true;
  };
  const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => id });
  void server.connect(transport);
  return { session: { id, server, transport }, closed: () => closed };
}

/** A stand-in response: the registry only listens for its 'close'. */
const response = (): EventEmitter => new EventEmitter();

describe('createSessionRegistry', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('caps sessions, counting places held for sessions being opened', () => {
    const sessions = createSessionRegistry({ maxSessions: 2, idleTimeoutMs: 1000, logger });
    expect(sessions.reserve()).toBe(true);
    sessions.add(session('a').session);
    expect(sessions.reserve()).toBe(false);
    sessions.unreserve();
    expect(sessions.reserve()).toBe(true);
    expect(sessions.reserve()).toBe(false);
  });

  it('closes a session idle for the timeout, but not while a request is open', async () => {
    const sessions = createSessionRegistry({ maxSessions: 5, idleTimeoutMs: 1000, logger });
    const s = session('a');
    sessions.add(s.session);
    const res = response();
    sessions.track(s.session, res);
    await vi.advanceTimersByTimeAsync(5000);
    expect(s.closed()).toBe(false);
    res.emit('close');
    await vi.advanceTimersByTimeAsync(999);
    expect(s.closed()).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(s.closed()).toBe(true);
  });

  it('finds sessions by id until removed', () => {
    const sessions = createSessionRegistry({ maxSessions: 5, idleTimeoutMs: 1000, logger });
    const s = session('a');
    sessions.add(s.session);
    expect(sessions.get('a')).toBe(s.session);
    expect(sessions.size).toBe(1);
    sessions.remove('a');
    expect(sessions.get('a')).toBeUndefined();
    expect(sessions.size).toBe(0);
  });
});
