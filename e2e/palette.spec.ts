import { expect, test } from '@playwright/test';
import { APPEAR_MS, serveSession } from './support/session';

/** Issue 6, the command palette in the main window: Ctrl+K, "free <port>", confirm, the owner dies. */

const session = serveSession();

test('Ctrl+K, "free <port>", Enter, Enter: the exact owner dies', async ({ page }) => {
  const child = await session.spawn({ name: 'e2e-palette' });
  await page.goto(session.serve.url);
  await expect(page.getByRole('grid')).toContainText('e2e-palette', { timeout: APPEAR_MS });

  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  const input = palette.getByRole('combobox', { name: 'Command' });
  await expect(input).toBeFocused();
  await page.keyboard.type('fr');
  await expect(palette.getByRole('option').first()).toContainText('free <port>');
  await page.keyboard.press('Enter'); // completes "free "
  await expect(input).toHaveValue('free ');
  await page.keyboard.type(String(child.port));
  const option = palette.getByRole('option').first();
  await expect(option).toHaveText(new RegExp(`Kill e2e-palette \\(PID ${child.pid}\\)`));
  await page.screenshot({ path: 'test-results/screenshots/palette.png' });
  await page.keyboard.press('Enter');

  await expect(palette).toHaveCount(0);
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Kill e2e-palette?');
  await expect(dialog.getByRole('button', { name: 'Kill', exact: true })).toBeFocused();
  await page.keyboard.press('Enter');
  await child.exited;
  expect(child.alive()).toBe(false);
  await expect(dialog).toHaveCount(0);
});

test('"filter proc:<name>" narrows the table and an invalid port says why', async ({ page }) => {
  const child = await session.spawn({ name: 'e2e-filtered' });
  await page.goto(session.serve.url);
  await expect(page.getByRole('grid')).toContainText('e2e-filtered', { timeout: APPEAR_MS });

  await page.keyboard.press('Control+k');
  await page.keyboard.type('free 70000');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toContainText('"70000" is not a port');
  await page.getByRole('combobox', { name: 'Command' }).fill('filter proc:e2e-filtered');
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
  await expect(page.getByRole('searchbox', { name: 'Filter' })).toHaveValue('proc:e2e-filtered');
  const rows = page.getByRole('grid').getByRole('row').filter({ hasNotText: 'Proto' });
  await expect(rows).toHaveCount(1);
  await expect(rows).toContainText('e2e-filtered');
  expect(child.alive()).toBe(true);
});
