/**
 * The team flags as the command line and the environment give them: `--store` (or
 * AGENTS_MCP_STORE) and `--run-lease`. A bad value stops the command naming the flag; a Redis
 * password becomes a masked secret.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { configSecrets } from '../config.js';
import { buildConfig, UsageError, type CommandSite } from './config-from-flags.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'config-from-flags-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const site = (env: NodeJS.ProcessEnv = {}): CommandSite => ({ env, cwd: dir, bundledDir: dir });

describe('--store and --run-lease', () => {
  it('default to the memory store and a 15 s lease', () => {
    const config = buildConfig({ agents: [dir] }, site());
    expect(config.store).toEqual({ engine: 'memory' });
    expect(config.runLeaseMs).toBe(15_000);
  });

  it('take a Redis URL from the flag or AGENTS_MCP_STORE, and mask its password', () => {
    const fromEnv = buildConfig({ agents: [dir] }, site({ AGENTS_MCP_STORE: 'redis://agents:s3cret-pass@redis.internal:6380/2' }));
    expect(fromEnv.store).toMatchObject({ engine: 'redis', target: 'redis://redis.internal:6380/2', db: 2 });
    expect(configSecrets(fromEnv)).toContain('s3cret-pass');
    expect(buildConfig({ agents: [dir], store: 'redis://127.0.0.1' }, site()).store).toMatchObject({ target: 'redis://127.0.0.1:6379/0' });
    expect(buildConfig({ agents: [dir], runLease: '2' }, site()).runLeaseMs).toBe(2_000);
  });

  it('stop on a bad value, naming the flag and never echoing a password', () => {
    expect(() => buildConfig({ agents: [dir], store: 'http://user:pw-123456@x' }, site())).toThrow(UsageError);
    expect(() => buildConfig({ agents: [dir], store: 'http://user:pw-123456@x' }, site())).toThrow(/^--store "http:\/\/\*\*\*@x": not a redis:\/\/ URL/);
    expect(() => buildConfig({ agents: [dir], store: 'redis://host/zero' }, site())).toThrow(/the database "zero" is not a number/);
    expect(() => buildConfig({ agents: [dir], runLease: 'soon' }, site())).toThrow(/--run-lease/);
  });
});
