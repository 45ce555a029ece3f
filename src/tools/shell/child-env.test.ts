import { describe, expect, it } from 'vitest';
import { CHILD_ENV_ALLOWLIST, createChildEnv } from './child-env.js';

describe('createChildEnv', () => {
  const source = { PATH: '/bin', HOME: '/home/u', ANTHROPIC_API_KEY: 'sk-ant-secret-1234', AGENTS_MCP_AUTH_TOKEN: 'token-1234567890', OTHER: 'x' };

  it('copies only allow-listed variables', () => {
    expect(createChildEnv(source)).toEqual({ PATH: '/bin', HOME: '/home/u', GIT_TERMINAL_PROMPT: '0' });
  });

  it('never passes ANTHROPIC_* or AGENTS_MCP_* even when a custom allow-list names them', () => {
    const env = createChildEnv(source, [...CHILD_ENV_ALLOWLIST, 'ANTHROPIC_API_KEY', 'AGENTS_MCP_AUTH_TOKEN', 'OTHER']);
    expect(env).toEqual({ PATH: '/bin', HOME: '/home/u', OTHER: 'x', GIT_TERMINAL_PROMPT: '0' });
  });
});
