import { expect, test } from '@playwright/test';
import { APPEAR_MS, serveSession } from './support/session';

/**
 * Issue 6, the quick view in the browser mode (`/?view=quick`): type the port a real child holds,
 * Enter, Enter, and the child is gone, with the answer shown in the view itself.
 */

const session = serveSession();

test('type the port, Enter, Enter: the owner dies and the result shows in place', async ({ page }) => {
  const child = await session.spawn({ name: 'e2e-quick' });
  await page.goto(session.serve.url); // the tab keeps the token (sessionStorage) for its next pages
  await page.goto(`${session.serve.origin}/?view=quick`);

  const search = page.getByRole('combobox', { name: 'Find a port' });
  await expect(search).toBeFocused();
  const list = page.getByRole('listbox', { name: 'Listening ports' });
  await expect(list.getByRole('option').filter({ hasText: 'e2e-quick' })).toHaveCount(1, {
    timeout: APPEAR_MS,
  });
  await page.screenshot({ path: 'test-results/screenshots/quick-view.png' });

  await page.keyboard.type(String(child.port));
  await expect(list.getByRole('option').first()).toHaveAttribute('aria-selected', 'true');
  await expect(list.getByRole('option').first()).toContainText(String(child.port));
  await page.keyboard.press('Enter');

  const dialog = page.getByRole('dialog');
  await expect(dialog.getByRole('heading')).toHaveText('Kill e2e-quick?');
  await expect(dialog).toContainText(String(child.pid));
  await expect(dialog.getByRole('button', { name: 'Kill', exact: true })).toBeFocused();
  await page.screenshot({ path: 'test-results/screenshots/quick-view-confirm.png' });
  await page.keyboard.press('Enter');

  await child.exited;
  expect(child.alive()).toBe(false);
  await expect(dialog).toHaveCount(0);
  await expect(page.locator('.ps-quick-note')).toContainText('e2e-quick');
  await expect(page.locator('.ps-quick-note')).toContainText(`Port ${child.port}/tcp is free`);
  await expect(search).toBeFocused();
  // Freed: no line for that port at all (not even an ownerless socket left behind).
  await expect(list.getByRole('option').filter({ hasText: String(child.port) })).toHaveCount(0);
  await page.screenshot({ path: 'test-results/screenshots/quick-view-freed.png' });
});

test('a port nobody owns exactly is never acted on', async ({ page }) => {
  const child = await session.spawn({ name: 'e2e-near' });
  await page.goto(session.serve.url);
  await page.goto(`${session.serve.origin}/?view=quick`);
  const list = page.getByRole('listbox', { name: 'Listening ports' });
  await expect(list.getByRole('option').filter({ hasText: 'e2e-near' })).toHaveCount(1, {
    timeout: APPEAR_MS,
  });

  // The first digits of the child's port: the list narrows to it, Enter refuses to guess.
  const prefix = String(child.port).slice(0, -1);
  await page.getByRole('combobox', { name: 'Find a port' }).fill(prefix);
  await expect(list.getByRole('option').filter({ hasText: 'e2e-near' })).toHaveCount(1);
  await page.keyboard.press('Enter');
  await expect(page.locator('.ps-quick-note')).toHaveText(`Nothing is listening on port ${Number(prefix)}.`);
  await expect(page.getByRole('dialog')).toHaveCount(0);
  expect(child.alive()).toBe(true);
});
