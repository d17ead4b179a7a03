import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  plugins: [react()],
  test: {
    include: [
      'electron/**/*.test.ts',
      'shared/**/*.test.ts',
      'renderer/src/**/*.test.{ts,tsx}',
      'scripts/**/*.test.ts',
    ],
    environment: 'node',
    // Renderer tests opt in with a `// @vitest-environment jsdom` docblock.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
  },
});
