import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'bench/**/*.test.ts'],
    exclude: ['**/*.e2e.test.ts', 'node_modules/**'],
    globalSetup: ['test/global-setup.ts'],
    // Command-line tests run the real command a dozen times or more, each a new process: slow on a busy machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    maxWorkers: 2,
  },
});
