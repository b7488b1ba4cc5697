import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // Fails the run when a test leaves a file in the work tree.
    globalSetup: ['test/support/worktree-guard.ts'],
  },
});
