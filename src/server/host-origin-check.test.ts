import { describe, expect, it } from 'vitest';
import { checkHostAndOrigin, createHostOriginPolicy } from './host-origin-check.js';

describe('checkHostAndOrigin on a loopback server', () => {
  const policy = createHostOriginPolicy({ bindHost: '127.0.0.1' });

  it.each(['localhost', 'localhost:3000', '127.0.0.1:8080', '[::1]:3000', 'LOCALHOST:1'])('accepts Host %s', (host) => {
    expect(checkHostAndOrigin({ host }, policy)).toBeUndefined();
  });

  it.each(['evil.example.com', 'evil.example.com:3000', 'localhost.evil.com', 'localhost@evil.com', 'localhost/x', '127.0.0.2'])('refuses Host %s', (host) => {
    expect(checkHostAndOrigin({ host }, policy)).toMatch(/Invalid Host header/);
  });

  it('refuses a request without a Host header', () => {
    expect(checkHostAndOrigin({}, policy)).toBe('Missing Host header');
  });

  it('accepts no Origin and origins on a loopback host, and refuses others', () => {
    expect(checkHostAndOrigin({ host: 'localhost' }, policy)).toBeUndefined();
    expect(checkHostAndOrigin({ host: 'localhost', origin: 'http://localhost:6274' }, policy)).toBeUndefined();
    expect(checkHostAndOrigin({ host: 'localhost', origin: 'https://127.0.0.1' }, policy)).toBeUndefined();
    expect(checkHostAndOrigin({ host: 'localhost', origin: 'http://evil.example.com' }, policy)).toMatch(/Invalid Origin/);
    expect(checkHostAndOrigin({ host: 'localhost', origin: 'null' }, policy)).toMatch(/Invalid Origin/);
    expect(checkHostAndOrigin({ host: 'localhost', origin: 'not a url' }, policy)).toMatch(/Invalid Origin/);
  });
});

describe('createHostOriginPolicy', () => {
  it('adds an IPv6 loopback bind address in brackets', () => {
    const policy = createHostOriginPolicy({ bindHost: '::1' });
    expect(policy.allowedHosts).toContain('[::1]');
    expect(checkHostAndOrigin({ host: '[::1]:4000' }, policy)).toBeUndefined();
  });

  it('checks no Host on a non-loopback server unless told to', () => {
    const open = createHostOriginPolicy({ bindHost: '0.0.0.0' });
    expect(checkHostAndOrigin({ host: 'mcp.internal:3000' }, open)).toBeUndefined();
    const listed = createHostOriginPolicy({ bindHost: '0.0.0.0', allowedHosts: ['MCP.internal'] });
    expect(checkHostAndOrigin({ host: 'mcp.internal:3000' }, listed)).toBeUndefined();
    expect(checkHostAndOrigin({ host: 'other.internal' }, listed)).toMatch(/Invalid Host/);
  });

  it('matches explicit origins exactly, after normalising', () => {
    const policy = createHostOriginPolicy({ bindHost: '127.0.0.1', allowedOrigins: ['https://app.example.com/'] });
    expect(checkHostAndOrigin({ host: 'localhost', origin: 'https://app.example.com' }, policy)).toBeUndefined();
    expect(checkHostAndOrigin({ host: 'localhost', origin: 'http://app.example.com' }, policy)).toMatch(/Invalid Origin/);
    expect(checkHostAndOrigin({ host: 'localhost', origin: 'http://localhost:6274' }, policy)).toMatch(/Invalid Origin/);
  });
});
