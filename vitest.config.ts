import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Vitest's default is cores − 1, one worker on CI's 2 cores; most test time is spent waiting on
    // servers the tests spawn, so two files at once keep both cores busy.
    maxWorkers: 2,
    // Servers keep their agent parse cache in a temp folder, not the user's ~/.cache.
    globalSetup: ['test/helpers/parse-cache-dir.ts'],
  },
});
