import { defineConfig } from 'vitest/config';

/** Browser tests: the real server on an embedded database, driven in Debian's Chromium. */
export default defineConfig({
  test: {
    include: ['src/**/*.e2e.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 180_000,
    maxWorkers: 1,
    fileParallelism: false,
  },
});
