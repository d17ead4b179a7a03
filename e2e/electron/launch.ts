import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from '@playwright/test';

/**
 * Launch the built desktop app in a real Electron binary named by ELECTRON_BIN. No binary can be
 * downloaded here, so every Electron spec skips with SKIP_REASON unless ELECTRON_BIN names one.
 * The binary must allow --inspect (an unpacked dev binary does; a release build's fuse forbids it:
 * build the test variant with --config.electronFuses.enableNodeCliInspectArguments=true).
 */

export const ROOT = join(__dirname, '..', '..');
export const ELECTRON_BIN = process.env.ELECTRON_BIN ?? '';
export const HAS_ELECTRON = ELECTRON_BIN !== '' && existsSync(ELECTRON_BIN);
export const SKIP_REASON = ELECTRON_BIN
  ? `ELECTRON_BIN=${ELECTRON_BIN} does not exist: set ELECTRON_BIN=/path/to/electron to run`
  : 'ELECTRON_BIN is not set: no Electron binary here; set ELECTRON_BIN=/path/to/electron to run';

export interface LaunchedApp {
  app: ElectronApplication;
  window: Page;
  close(): Promise<void>;
}

/** Start Portscope on the built out/ with a throwaway profile, and wait for its main window. */
export async function launchPortscope(): Promise<LaunchedApp> {
  const profile = mkdtempSync(join(tmpdir(), 'portscope-e2e-electron-'));
  const args = [ROOT, `--user-data-dir=${profile}`];
  // Chromium refuses to run as root with its sandbox on; CI containers often are root.
  if (process.getuid?.() === 0) args.push('--no-sandbox');
  const env = { ...process.env, NODE_ENV: 'test' } as Record<string, string>;
  delete env.ELECTRON_RUN_AS_NODE;
  delete env.ELECTRON_RENDERER_URL; // always the built renderer (portscope://app)
  const app = await _electron.launch({ executablePath: ELECTRON_BIN, args, env, cwd: ROOT });
  const window = await app.firstWindow();
  return {
    app,
    window,
    async close() {
      await app.close().catch(() => {});
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
