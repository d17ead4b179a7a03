import { expect, type Page, test } from '@playwright/test';
import { type Listener, spawnListener } from './support/children';
import { type ServeHandle, startServe } from './support/serve';

/**
 * Issue 5 in the window, end to end: the real `portscope serve`, the built renderer in Chromium,
 * the real engine and kill engine, and child processes that really hold a port and really die.
 */

/** First appearance of a new row: generous, since other suites may share the two cores. */
const APPEAR_MS = 30_000;

let serve: ServeHandle;
const children: Listener[] = [];

test.beforeAll(async () => {
  serve = await startServe();
});
test.afterEach(() => {
  for (const c of children.splice(0)) c.kill();
});
test.afterAll(async () => {
  await serve?.stop();
});

async function listener(opts: Parameters<typeof spawnListener>[0]): Promise<Listener> {
  const l = await spawnListener(opts);
  children.push(l);
  return l;
}

/** The table row of a port (the port cell is exact: 3000 must not match 30001). */
function rowOf(page: Page, port: number) {
  return page
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: String(port), exact: true }) });
}

test('kill from the row: the dialog names the process, Enter ends it, its row leaves', async ({ page }) => {
  await page.goto(serve.url);
  const child = await listener({ name: 'e2e-kill' });
  const row = rowOf(page, child.port);
  await expect(row).toHaveCount(1, { timeout: APPEAR_MS });

  await row.getByRole('button', { name: `Kill e2e-kill (PID ${child.pid})` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toHaveAttribute('aria-modal', 'true');
  await expect(dialog.getByRole('heading')).toHaveText('Kill e2e-kill?');
  await expect(dialog).toContainText(String(child.pid));
  await expect(dialog).toContainText(`127.0.0.1:${child.port}`);
  const confirm = dialog.getByRole('button', { name: 'Kill', exact: true });
  await expect(confirm).toBeEnabled();
  await expect(confirm).toBeFocused();
  await page.screenshot({ path: 'test-results/screenshots/kill-dialog.png' });

  // Focus stays inside the dialog however far the user tabs.
  for (let i = 0; i < 6; i++) await page.keyboard.press('Tab');
  expect(await dialog.evaluate((d) => d.contains(document.activeElement))).toBe(true);
  await confirm.focus();

  await page.keyboard.press('Enter');
  await child.exited;
  expect(child.alive()).toBe(false);
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'e2e-kill' })).toContainText('exited');
  await expect(row).toHaveCount(0);
});

test('a process that ignores SIGTERM: the dialog says so and Force kill ends it', async ({ page }) => {
  await page.goto(serve.url);
  const child = await listener({ name: 'e2e-stubborn', trapTerm: true });
  const row = rowOf(page, child.port);
  await expect(row).toHaveCount(1, { timeout: APPEAR_MS });
  await row.getByRole('button', { name: `Kill e2e-stubborn (PID ${child.pid})` }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('button', { name: 'Kill', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(dialog.getByRole('status')).toContainText('Stopping… waiting up to 3 s');

  const force = dialog.getByRole('button', { name: 'Force kill' });
  await expect(force).toBeVisible();
  await expect(dialog.getByRole('alert')).toContainText('still running');
  expect(child.alive()).toBe(true);
  await page.screenshot({ path: 'test-results/screenshots/kill-dialog-force.png' });

  await force.click();
  await child.exited;
  expect(child.child.signalCode).toBe('SIGKILL');
  await expect(dialog).toHaveCount(0);
  await expect(row).toHaveCount(0);
});

test('Escape closes the dialog and nothing is sent', async ({ page }) => {
  await page.goto(serve.url);
  const child = await listener({ name: 'e2e-spared' });
  await expect(rowOf(page, child.port)).toHaveCount(1, { timeout: APPEAR_MS });
  await rowOf(page, child.port)
    .getByRole('button', { name: `Kill e2e-spared (PID ${child.pid})` })
    .click();
  await expect(page.getByRole('dialog')).toContainText('e2e-spared');
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: 'test-results/screenshots/kill-dialog-dark.png' });
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toHaveCount(0);
  // Give a mistaken kill time to land before checking it did not.
  await page.waitForTimeout(500);
  expect(child.alive()).toBe(true);
});
