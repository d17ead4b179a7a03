import { expect, test } from '@playwright/test';
import { type Listener, spawnListener } from '../../electron/core/testing/children';
import { EXPECTED_PREFERENCES } from '../../electron/main/security-rules';
import { bridgeSurface } from '../../shared/contract';
import { HAS_ELECTRON, type LaunchedApp, launchPortscope, SKIP_REASON } from './launch';

/**
 * The desktop shell in a real Electron binary: the window, its security preferences, the page's
 * isolation from Node, and the whole path from a real socket to the grid. Skipped where no binary is.
 */

test.skip(!HAS_ELECTRON, SKIP_REASON);

let launched: LaunchedApp;
let child: Listener | undefined;

test.beforeAll(async () => {
  launched = await launchPortscope();
});
test.afterAll(async () => {
  child?.kill();
  await launched?.close();
});

test('the main window opens, shows the renderer and is visible', async () => {
  const { app, window } = launched;
  await expect(window).toHaveTitle(/Portscope/);
  await expect(window.locator('#root')).not.toBeEmpty();
  const visible = await app.evaluate(({ BrowserWindow }) =>
    BrowserWindow.getAllWindows().some((w) => w.isVisible()),
  );
  expect(visible).toBe(true);
  expect(window.url()).toBe('portscope://app/index.html');
});

test('every webContents reports the secure preferences', async () => {
  // getLastWebPreferences() is Electron's own (undocumented) accessor for the effective preferences;
  // it is not in electron.d.ts, hence the cast.
  type WithPrefs = { getLastWebPreferences(): Record<string, unknown> | null };
  const prefs = await launched.app.evaluate(({ webContents }) =>
    webContents.getAllWebContents().map((w) => (w as unknown as WithPrefs).getLastWebPreferences()),
  );
  expect(prefs.length).toBeGreaterThan(0);
  for (const p of prefs) expect(p).toMatchObject(EXPECTED_PREFERENCES);
});

test('the page has no Node: typeof require is undefined and the bridge is only named functions', async () => {
  const { window: page } = launched;
  expect(await page.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
  expect(await page.evaluate(() => typeof (globalThis as { process?: unknown }).process)).toBe('undefined');
  const keys = await page.evaluate(() =>
    Object.keys((globalThis as unknown as { portscope: object }).portscope).sort(),
  );
  // The surface comes from the contract's channel list: a new channel cannot be forgotten here.
  expect(keys).toEqual([...bridgeSurface]);
});

test('navigation and window.open are denied', async () => {
  const { app, window: page } = launched;
  const before = page.url();
  const count = () => app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
  const windowsBefore = await count();
  await page.evaluate(
    "window.open('https://example.com/', '_blank'); location.href = 'https://example.com/';",
  );
  // No sleep: the page must still answer from the same document (a navigation would have replaced
  // it) after the main process handled both requests, which it does before this round trip returns.
  await app.evaluate(() => true);
  expect(await page.evaluate(() => document.readyState)).toBe('complete');
  expect(page.url()).toBe(before);
  expect(await count()).toBe(windowsBefore);
});

test('a port opened by the test appears in the grid, and leaves when its process ends', async () => {
  const { window: page } = launched;
  child = await spawnListener({ name: 'e2e-electron' });
  const grid = page.getByRole('grid');
  await expect(grid).toBeVisible();
  const row = grid
    .getByRole('row')
    .filter({ hasText: String(child.port) })
    .first();
  await expect(row).toContainText('e2e-electron');
  child.kill();
  await expect(grid.getByRole('row').filter({ hasText: String(child.port) })).toHaveCount(0);
});
