import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'cdk',
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
  },
});
