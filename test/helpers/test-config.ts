/** A Config for in-process tests: the schema's own defaults, plus what a test sets. */
import type { z } from 'zod';
import { DEFAULT_MODEL, DEFAULT_MODEL_ALIASES } from '../../src/agents/models.js';
import { ConfigSchema, type Config } from '../../src/config.js';

/** Parse through ConfigSchema, so a new config field with a default needs no test changes. */
export function testConfig(overrides: Partial<z.input<typeof ConfigSchema>>): Config {
  return ConfigSchema.parse({
    agentDirs: ['/unused'],
    workspaces: [process.cwd()],
    defaultModel: DEFAULT_MODEL,
    modelAliases: { ...DEFAULT_MODEL_ALIASES },
    maxTurns: 10,
    maxOutputTokens: 1000,
    logLevel: 'silent',
    anthropic: {},
    watch: false,
    ...overrides,
  });
}
