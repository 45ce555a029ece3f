import { describe, expect, it } from 'vitest';
import { flagForConfigPath } from './config-flags.js';

describe('flagForConfigPath', () => {
  it('names the flag a person sets, not the internal path', () => {
    expect(flagForConfigPath(['http', 'authToken'])).toBe('--auth-token (or AGENTS_MCP_AUTH_TOKEN)');
    expect(flagForConfigPath(['http', 'port'])).toBe('--port');
    expect(flagForConfigPath(['allowBash', 0])).toBe('--allow-bash');
    expect(flagForConfigPath(['modelAliases', 'fable'])).toBe('--fable-model');
  });

  it('falls back to the path for a field it does not know', () => {
    expect(flagForConfigPath(['somethingNew'])).toBe('somethingNew');
  });
});
