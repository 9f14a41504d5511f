import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'web',
    environment: 'node',
    include: ['src/**/*.test.{ts,tsx}', 'tests/**/*.test.{ts,tsx}'],
    // The journeys start the whole local system and Chromium; two loaded cores can take a while.
    hookTimeout: 120_000,
    testTimeout: 60_000,
  },
});
