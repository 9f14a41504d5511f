import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'lambdas',
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // Integration tests start real engines (PGlite, emulators); two cores under load can be slow to start them.
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
});
