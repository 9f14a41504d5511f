import { defineConfig } from 'vitest/config';

// Every workspace is a vitest project; `npm run test:all` runs them all.
export default defineConfig({
  test: {
    projects: ['lambdas', 'local', 'cdk', 'web', 'training'],
    allowOnly: false,
  },
});
