import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type Listener, spawnListener } from '../electron/core/testing/children';
import { type ServeHandle, startServe } from './support/serve';

/**
 * Issue 6's settings in the browser mode, end to end: the real `portscope serve` with its config
 * folder in a temp dir (XDG_CONFIG_HOME), the built renderer in Chromium, the real engine. The file
 * starts corrupt, so the first page also shows the repair notice.
 */

/** First appearance of a new row or a toast after a poll: generous, other suites share two cores. */
const APPEAR_MS = 30_000;

let serve: ServeHandle;
let configHome: string;
const children: Listener[] = [];
const settingsFile = () => join(configHome, 'portscope', 'settings.json');

test.beforeAll(async () => {
  configHome = mkdtempSync(join(tmpdir(), 'portscope-e2e-config-'));
  mkdirSync(join(configHome, 'portscope'));
  writeFileSync(settingsFile(), '{"pollIntervalMs": 2000, "theme": "da');
  serve = await startServe({ env: { XDG_CONFIG_HOME: configHome } });
});
test.afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});
test.afterAll(async () => {
  await serve?.stop();
  rmSync(configHome, { recursive: true, force: true });
});

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await expect(dialog).toBeVisible();
  return dialog;
}

test('a corrupt file is kept aside and reported once; the page starts from defaults', async ({ page }) => {
  await page.goto(serve.url);
  await expect(page.getByText(/settings file was unreadable; a copy was kept at/)).toBeVisible();
  expect(readdirSync(join(configHome, 'portscope')).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(
    true,
  );
  const dialog = await openSettings(page);
  await expect(dialog.getByLabel('Poll interval')).toHaveValue('1000');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible({ timeout: APPEAR_MS });
  await expect(page.getByText(/settings file was unreadable/)).toHaveCount(0);
});

test('changing the poll interval reaches the engine (status bar) and the file on disk', async ({ page }) => {
  await page.goto(serve.url);
  const footer = page.locator('footer');
  await expect(footer).toContainText('Every 0.5 s', { timeout: APPEAR_MS });
  const dialog = await openSettings(page);
  await expect(dialog.getByLabel('Close to tray')).toBeDisabled();
  await dialog.getByLabel('Poll interval').selectOption('2000');
  await dialog.getByLabel('Theme').selectOption('dark');
  await page.screenshot({ path: 'test-results/screenshots/settings-dialog.png' });
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  await expect(footer).toContainText('Every 2 s');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const saved = JSON.parse(readFileSync(settingsFile(), 'utf8'));
  expect(saved).toMatchObject({ pollIntervalMs: 2000, theme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/settings-dark.png' });

  // Back to a fast interval and the system theme, through the same dialog.
  const again = await openSettings(page);
  await again.getByLabel('Poll interval').selectOption('500');
  await again.getByLabel('Theme').selectOption('system');
  await again.getByRole('button', { name: 'Save' }).click();
  await expect(footer).toContainText('Every 0.5 s');
  await expect(page.locator('html')).not.toHaveAttribute('data-theme', /.+/);
});

test('a bad watched port is named inline and nothing is saved', async ({ page }) => {
  await page.goto(serve.url);
  const before = readFileSync(settingsFile(), 'utf8');
  const dialog = await openSettings(page);
  await dialog.getByLabel('Watched ports').fill('3000, 99999');
  await expect(dialog.getByRole('alert')).toContainText('"99999" is not a port');
  await expect(dialog.getByRole('button', { name: 'Save' })).toBeDisabled();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  expect(readFileSync(settingsFile(), 'utf8')).toBe(before);
});

test('a watched port opening and closing is announced; an unwatched one is not', async ({ page }) => {
  // A port that is free now: bound once by a child, released, then watched and bound again.
  const probe = await spawnListener();
  const port = probe.port;
  probe.kill();
  await probe.exited;

  await page.goto(serve.url);
  const dialog = await openSettings(page);
  await dialog.getByLabel('Watched ports').fill(String(port));
  await dialog.getByLabel('Notify when a watched port opens or closes').check();
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toBeHidden();
  expect(JSON.parse(readFileSync(settingsFile(), 'utf8'))).toMatchObject({
    notifications: true,
    watchedPorts: [port],
  });

  const unwatched = await spawnListener({ name: 'e2e-other' });
  children.push(unwatched);
  const watched = await spawnListener({ name: 'e2e-watch', port });
  children.push(watched);
  // Headless Chromium does not grant notifications, so the page announces them as toasts.
  const toasts = page.getByRole('status', { name: 'Notifications' });
  await expect(toasts).toContainText(`Port ${port} opened by e2e-watch`, { timeout: APPEAR_MS });
  watched.kill();
  await expect(toasts).toContainText(`Port ${port} closed`, { timeout: APPEAR_MS });
  await expect(toasts).not.toContainText(`Port ${unwatched.port} `);
});
