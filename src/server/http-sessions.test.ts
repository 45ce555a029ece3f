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
  return { session: { id, server, transport, principal: 'alice' }, closed: () => closed };
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

  it('caps sessions, counting places held for sessions being opened, when none is idle', () => {
    const sessions = createSessionRegistry({ maxSessions: 2, idleTimeoutMs: 1000, logger });
    expect(sessions.reserve()).toBe(true);
    const a = session('a');
    sessions.add(a.session);
    sessions.track(a.session, response());
    expect(sessions.reserve()).toBe(false);
    sessions.unreserve();
    expect(sessions.reserve()).toBe(true);
    expect(sessions.reserve()).toBe(false);
  });

  it('at the cap closes the session idle longest to make room, never one with a request under way', async () => {
    const sessions = createSessionRegistry({ maxSessions: 3, idleTimeoutMs: 60_000, logger });
    const [a, b, c] = [session('a'), session('b'), session('c')];
    sessions.add(a.session);
    await vi.advanceTimersByTimeAsync(10);
    sessions.add(b.session);
    await vi.advanceTimersByTimeAsync(10);
    sessions.add(c.session);
    sessions.track(a.session, response());
    expect(sessions.reserve()).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(sessions.get('a')).toBe(a.session);
    expect(sessions.get('b')).toBeUndefined();
    expect(b.closed()).toBe(true);
    expect(c.closed()).toBe(false);
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
