import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import pkg from './package.json' with { type: 'json' };
import { testCodeGuard } from './scripts/test-code-guard.mjs';

/**
 * The `portscope` CLI (and the browser-mode server it hosts) as plain-Node CommonJS: a small entry
 * (out/cli/index.cjs: argument parsing, help, --version) and one chunk per command, loaded when the
 * command runs (electron/cli/commands.ts). Nothing here imports 'electron'. Only what
 * electron/cli/index.ts imports is bundled; testCodeGuard fails the build on test-only code.
 *
 * INLINE dependencies are bundled into the chunks that use them: zod's CommonJS build is hundreds
 * of files, each resolved, read and compiled at require time (~100 ms), where a bundled copy is one
 * file of the code actually used; ws likewise. Both are needed only by `serve`, whose chunk carries
 * them. The rest stays external so `npm install -g` resolves it (systeminformation: other OSes,
 * loaded lazily; prom-client: its optional peers).
 */
const INLINE = new Set(['zod', 'ws']);
const external = [
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies)
    .filter((d) => !INLINE.has(d))
    .map((d) => new RegExp(`^${d}(/.*)?$`)),
];

export default defineConfig({
  plugins: [testCodeGuard(import.meta.dirname)],
  // An SSR build leaves node_modules external unless told otherwise.
  ssr: { noExternal: [...INLINE] },
  build: {
    ssr: resolve(import.meta.dirname, 'electron/cli/index.ts'),
    outDir: 'out/cli',
    emptyOutDir: true,
    target: 'node20',
    sourcemap: false,
    minify: false,
    rollupOptions: {
      external,
      output: {
        format: 'cjs',
        entryFileNames: 'index.cjs',
        chunkFileNames: '[name]-[hash].cjs',
        // import() of an external (node:http on the first container-engine request, systeminformation,
        // prom-client) as require(): a real import() from CommonJS starts Node's ESM loader, ~60 ms
        // of every `list` in the profile. Each such site already takes `mod.default ?? mod`.
        dynamicImportInCjs: false,
      },
    },
  },
});
