import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cdk',
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
    // A first synthesis loads aws-cdk-lib (~3 s alone, more when the files run in parallel on two cores).
    testTimeout: 30_000,
  },
});
