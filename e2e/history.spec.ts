import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { spawnListener } from '../electron/core/testing/children';
import { type ServeHandle, startServe } from './support/serve';
import { APPEAR_MS } from './support/session';

/**
 * Issue 17 in the window: the real `portscope serve` records a real listener that opens and
 * closes (into a history folder of its own, via XDG_DATA_HOME), and the History view shows it as a
 * closed span with its process and PID; the details panel of a live row names its recent holders.
 */

const data = mkdtempSync(join(tmpdir(), 'ps-e2e-history-'));
let serve: ServeHandle;
test.beforeAll(async () => {
  serve = await startServe({ env: { XDG_DATA_HOME: data } });
});
test.afterAll(async () => {
  await serve?.stop();
  rmSync(data, { recursive: true, force: true });
});

function rowOf(page: Page, port: number) {
  return page
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: String(port), exact: true }) });
}

test('the History view shows a listener that opened and closed, with its PID', async ({ page }) => {
  await page.goto(serve.url);
  const child = await spawnListener({ name: 'e2e-hist' });
  const row = rowOf(page, child.port);
  await expect(row).toHaveCount(1, { timeout: APPEAR_MS });
  child.kill();
  await child.exited;
  await expect(row).toHaveCount(0, { timeout: APPEAR_MS });

  await page.getByRole('button', { name: 'History', exact: true }).click();
  const card = page.getByRole('region', { name: `Port ${child.port}/tcp` });
  // The recorder writes on the poll that saw the close: refresh until it is there.
  await expect(async () => {
    await page.getByRole('button', { name: 'Refresh' }).click();
    await expect(card).toHaveCount(1, { timeout: 1000 });
  }).toPass({ timeout: APPEAR_MS });
  await expect(card).toContainText(`e2e-hist (PID ${child.pid})`);
  await expect(card).toContainText('closed');
  await page.screenshot({ path: 'test-results/screenshots/history-view.png' });

  // The filter language narrows it: another process name hides the port.
  const filter = page.getByRole('searchbox', { name: 'Filter history' });
  await filter.fill('proc:no-such-process');
  await filter.press('Enter');
  await expect(card).toHaveCount(0);
  await filter.fill(`proc:e2e-hist port:${child.port}`);
  await filter.press('Enter');
  await expect(card).toHaveCount(1);

  // Back to the table.
  await page.getByRole('button', { name: 'Listening', exact: true }).click();
  await expect(page.getByRole('grid')).toBeVisible();
});

test('the details panel lists the recent holders of a port', async ({ page }) => {
  await page.goto(serve.url);
  const first = await spawnListener({ name: 'e2e-first' });
  const port = first.port;
  await expect(rowOf(page, port)).toHaveCount(1, { timeout: APPEAR_MS });
  first.kill();
  await first.exited;
  await expect(rowOf(page, port)).toHaveCount(0, { timeout: APPEAR_MS });
  const second = await spawnListener({ name: 'e2e-second', port });
  try {
    const row = rowOf(page, port);
    await expect(row).toHaveCount(1, { timeout: APPEAR_MS });
    await row.click();
    const recent = page.getByRole('region', { name: 'Recent holders' });
    await expect(recent).toContainText(`e2e-first (PID ${first.pid})`, { timeout: APPEAR_MS });
    await page.screenshot({ path: 'test-results/screenshots/history-details.png' });
  } finally {
    second.kill();
  }
});
