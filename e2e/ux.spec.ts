import { expect, test } from '@playwright/test';
import { APPEAR_MS, openMain, rowOf, uxSession } from './support/ux';

/**
 * Issue 15 in the browser: the Command column, the column chooser, the kill flow's one voice, hide
 * rules with "N hidden · Show all", the quick view, and screenshots of each at 1280 and 900 px, light
 * and dark (kept in the e2e output folder, looked at by a person).
 */

const session = uxSession();
const WIDTHS = [1280, 900] as const;
const SCHEMES = ['light', 'dark'] as const;
const shot = (name: string) => test.info().outputPath(`${name}.png`);

test('/favicon.ico and the linked icons are served (the browser tab has the app icon)', async ({
  request,
}) => {
  for (const path of ['/favicon.ico', '/favicon.svg', '/favicon-32.png']) {
    const res = await request.get(`${session.serve.origin}${path}`);
    expect(res.status(), path).toBe(200);
    expect(res.headers()['content-type']).toMatch(/^image\//);
  }
});

for (const width of WIDTHS) {
  for (const scheme of SCHEMES) {
    test(`table, column chooser, kill flow and quick view at ${width} px, ${scheme}`, async ({ page }) => {
      const web = await session.spawn({ name: `e2e-web-${width}`, host: '0.0.0.0' });
      const stubborn = await session.spawn({ name: `e2e-stub-${width}`, trapTerm: true });
      await openMain(page, session.serve, { width, scheme, filter: 'proc:e2e-' });
      const row = rowOf(page, web.port);
      await expect(row).toHaveCount(1, { timeout: APPEAR_MS });
      // The Command column shows the command line; the full text is in its tooltip.
      const command = row.locator('.ps-command');
      if (width === 1280) {
        await expect(page.getByRole('columnheader', { name: 'Command' })).toBeVisible();
        await expect(command).toHaveAttribute('title', /-e/);
      }
      // Counts agree: the filter box and the status bar.
      await expect(rowOf(page, stubborn.port)).toHaveCount(1, { timeout: APPEAR_MS });
      await page.screenshot({ path: shot(`table-${width}-${scheme}`) });

      await page.getByRole('button', { name: 'Columns' }).click();
      const chooser = page.getByRole('dialog', { name: 'Columns' });
      await expect(chooser).toBeVisible();
      await page.screenshot({ path: shot(`columns-${width}-${scheme}`) });
      await page.keyboard.press('Escape');
      await expect(chooser).toHaveCount(0);

      // The kill flow, step by step: planning/ready → sent SIGTERM at hh:mm:ss → still running → force-killed.
      await rowOf(page, stubborn.port)
        .getByRole('button', { name: /^Kill / })
        .click();
      const dialog = page.getByRole('dialog');
      const step = dialog.getByTestId('kill-step');
      await expect(dialog.getByRole('button', { name: 'Kill', exact: true })).toBeFocused();
      await expect(step).toContainText('Nothing is sent until you confirm');
      await page.screenshot({ path: shot(`kill-1-ready-${width}-${scheme}`) });
      await page.keyboard.press('Enter');
      await expect(step).toHaveText(/Sent SIGTERM at \d\d:\d\d:\d\d/);
      await expect(step).not.toContainText('Nothing is sent');
      await page.screenshot({ path: shot(`kill-2-sent-${width}-${scheme}`) });
      const force = dialog.getByRole('button', { name: 'Force kill' });
      await expect(force).toBeVisible({ timeout: 15_000 });
      await expect(step).toContainText('Still running after 3 s');
      // While the dialog shows the result, no toast repeats it.
      await expect(page.locator('.ps-toast')).toHaveCount(0);
      await page.screenshot({ path: shot(`kill-3-still-running-${width}-${scheme}`) });
      await force.click();
      await stubborn.exited;
      await expect(dialog).toHaveCount(0);
      // One result, one toast: the good news only.
      await expect(page.locator('.ps-toast')).toHaveCount(1);
      await expect(page.locator('.ps-toast-error')).toHaveCount(0);
      await page.screenshot({ path: shot(`kill-4-done-${width}-${scheme}`) });

      await page.goto(session.serve.urlFor('/?view=quick'));
      await expect(
        page
          .getByRole('listbox')
          .getByRole('option')
          .filter({ hasText: `e2e-web-${width}` }),
      ).toHaveCount(1, {
        timeout: APPEAR_MS,
      });
      await page.screenshot({ path: shot(`quick-${width}-${scheme}`) });
      web.kill();
    });
  }
}

test('a hide rule hides a process everywhere, the status bar says "N hidden", one click shows all', async ({
  page,
}) => {
  const noisy = await session.spawn({ name: 'e2e-noisy' });
  const kept = await session.spawn({ name: 'e2e-kept' });
  await openMain(page, session.serve, { width: 1280, scheme: 'light', filter: 'proc:e2e-' });
  await expect(rowOf(page, noisy.port)).toHaveCount(1, { timeout: APPEAR_MS });
  await expect(rowOf(page, kept.port)).toHaveCount(1, { timeout: APPEAR_MS });
  await rowOf(page, noisy.port).click();
  const details = page.getByRole('complementary', { name: 'Details' });
  await details.getByRole('button', { name: 'Hide process e2e-noisy' }).click();
  await expect(rowOf(page, noisy.port)).toHaveCount(0);
  const status = page.locator('.ps-statusbar');
  await expect(status).toContainText('1 hidden');
  // The box and the status bar count the same lines.
  await page.getByRole('searchbox', { name: 'Filter' }).fill('');
  await expect
    .poll(async () => {
      const box = (await page.getByTestId('filter-count').textContent()) ?? '';
      const bar = (await page.getByTestId('status-count').textContent()) ?? '';
      return /^\d+$/.test(box) && bar.startsWith(`${box} listening`);
    })
    .toBe(true);
  await page.getByTestId('toggle-hidden').click();
  await page.getByRole('searchbox', { name: 'Filter' }).fill('proc:e2e-');
  await expect(rowOf(page, noisy.port)).toHaveCount(1);
  await page.screenshot({ path: shot('hidden-shown-1280-light') });
  // Pin the other on top: favourites lead the table.
  await rowOf(page, kept.port).click();
  await details.getByRole('button', { name: `Pin port ${kept.port} on top` }).click();
  await expect(page.getByRole('grid').getByRole('row').nth(1)).toContainText(String(kept.port));
});
