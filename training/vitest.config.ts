import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'training',
    include: ['tests/**/*.test.ts'],
    // Some tests train small models and run onnxruntime; two cores under load can be slow.
    hookTimeout: 120_000,
    testTimeout: 120_000,
  },
});
