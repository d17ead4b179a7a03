import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { testCodeGuard } from './scripts/test-code-guard.mjs';

/**
 * Desktop build: main and preload for Electron, the renderer for both the window and the browser mode.
 * Output goes to out/ (electron-vite default); build/ holds only electron-builder resources.
 * Each bundle holds only what its entry imports; testCodeGuard fails the build if that ever includes
 * test-only code (testing/, e2e/, *.test.*, *.test-support.*).
 */
export default defineConfig({
  main: {
    plugins: [testCodeGuard(__dirname)],
    build: {
      outDir: 'out/main',
      externalizeDeps: true,
      rollupOptions: { input: { index: resolve(__dirname, 'electron/main/index.ts') } },
    },
  },
  preload: {
    plugins: [testCodeGuard(__dirname)],
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'electron/preload/index.ts') },
        // A sandboxed preload must be one CommonJS file that requires nothing but 'electron'.
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [react(), testCodeGuard(__dirname)],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      // Minified: the page parses ~1 MB less script before its first paint (electron-vite leaves it off).
      minify: !process.env.PORTSCOPE_NO_MINIFY,
      rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } },
    },
  },
});
