import { describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_PATH, DEFAULT_HTTP_PORT, HttpConfigSchema, isLoopbackHost } from './http-config.js';

describe('isLoopbackHost', () => {
  it.each(['127.0.0.1', '127.1.2.3', 'localhost', '::1', '[::1]', '::ffff:127.0.0.1'])('%s is loopback', (host) => {
    expect(isLoopbackHost(host)).toBe(true);
  });
  it.each(['0.0.0.0', '::', '10.0.0.5', '192.168.1.2', 'example.com', 'localhost.example.com'])('%s is not', (host) => {
    expect(isLoopbackHost(host)).toBe(false);
  });
});

describe('HttpConfigSchema', () => {
  it('defaults to loopback, port 3000, /mcp, sessions, no token', () => {
    expect(HttpConfigSchema.parse({})).toMatchObject({ host: '127.0.0.1', port: DEFAULT_HTTP_PORT, path: DEFAULT_HTTP_PATH, stateless: false });
  });

  it('requires a token to bind beyond loopback', () => {
    const result = HttpConfigSchema.safeParse({ host: '0.0.0.0' });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toContain('--auth-token or AGENTS_MCP_AUTH_TOKEN');
    expect(HttpConfigSchema.safeParse({ host: '0.0.0.0', authToken: 'a-long-enough-token' }).success).toBe(true);
  });

  it('takes a tokens file in place of a token beyond loopback, and refuses both at once naming both flags', () => {
    expect(HttpConfigSchema.safeParse({ host: '0.0.0.0', authTokensFile: '/etc/agents-mcp/tokens.json' }).success).toBe(true);
    const both = HttpConfigSchema.safeParse({ authToken: 'a-long-enough-token', authTokensFile: '/etc/agents-mcp/tokens.json' });
    expect(both.success).toBe(false);
    expect(both.error?.issues[0]?.message).toMatch(/either --auth-token .* or --auth-tokens .*not both/);
  });

  it('refuses short tokens, bad ports and paths', () => {
    expect(HttpConfigSchema.safeParse({ authToken: 'short' }).success).toBe(false);
    expect(HttpConfigSchema.safeParse({ port: 70000 }).success).toBe(false);
    expect(HttpConfigSchema.safeParse({ port: Number.NaN }).success).toBe(false);
    expect(HttpConfigSchema.safeParse({ path: 'mcp' }).success).toBe(false);
    expect(HttpConfigSchema.safeParse({ port: 0 }).success).toBe(true);
  });
});
