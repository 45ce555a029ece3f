import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Servers keep their agent parse cache in a temp folder, not the user's ~/.cache.
    globalSetup: ['test/helpers/parse-cache-dir.ts'],
  },
});
