import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'lambdas',
    include: ['src/**/*.test.ts', 'tests/**/*.test.ts'],
  },
});
