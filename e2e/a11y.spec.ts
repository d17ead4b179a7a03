import { createRequire } from 'node:module';
import { expect, type Page, test } from '@playwright/test';
import { APPEAR_MS, openMain, rowOf, uxSession } from './support/ux';

/**
 * Accessibility: zero axe-core violations of the WCAG 2.1 A and AA rules in the table, the details
 * panel, the column chooser, the settings dialog, the palette, the kill dialog and the quick view,
 * in light and in dark.
 *
 * This spec's pages run with `bypassCSP: true`, and only this spec's: Playwright's addScriptTag
 * injects axe as an inline <script>, which the page's strict CSP (script-src 'self') refuses, as it
 * should. Bypassing it here changes nothing axe checks (it reads the DOM and computed styles); every
 * other spec keeps the real CSP.
 */
test.use({ bypassCSP: true });

const session = uxSession();
const AXE = createRequire(__filename).resolve('axe-core/axe.min.js');
const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Run axe on the page as it is now; the violations, summarised so a failure says what and where. */
async function violations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const found = (await page.evaluate(
    (tags) =>
      (
        window as unknown as { axe: { run(ctx: Document, o: object): Promise<{ violations: unknown[] }> } }
      ).axe
        .run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] })
        .then((r) => r.violations),
    TAGS,
  )) as AxeViolation[];
  return found.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 4)
        .map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1, 2).join('') ?? ''}`)
        .join(' | ')}`,
  );
}

for (const scheme of ['light', 'dark'] as const) {
  test(`no WCAG 2.1 AA violations, ${scheme}`, async ({ page }) => {
    // axe walks the whole page seven times on a 2-core machine shared with other suites.
    test.setTimeout(300_000);
    const child = await session.spawn({ name: `e2e-a11y-${scheme}` });
    await openMain(page, session.serve, { width: 1280, scheme, filter: 'proc:e2e-a11y' });
    await expect(rowOf(page, child.port)).toHaveCount(1, { timeout: APPEAR_MS });
    // Let the new row's glow finish: axe would measure contrast against a fading overlay.
    await expect(rowOf(page, child.port)).not.toHaveAttribute('data-state', 'new', { timeout: 8000 });

    // Paused: the page holds still while axe reads it, and the paused banner is checked too.
    await page.locator('.ps-statusbar').getByRole('button', { name: 'Pause' }).click();
    await expect(page.getByTestId('paused-banner')).toBeVisible();
    const results: Record<string, string[]> = {};
    results.table = await violations(page);

    await rowOf(page, child.port).click();
    await expect(page.getByRole('complementary', { name: 'Details' })).toBeVisible();
    results.details = await violations(page);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Columns' }).click();
    await expect(page.getByRole('dialog', { name: 'Columns' })).toBeVisible();
    results.chooser = await violations(page);
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'Settings' }).click();
    await expect(page.getByRole('dialog', { name: 'Settings' })).toBeVisible();
    await expect(
      page.getByRole('dialog', { name: 'Settings' }).getByText('Loading your settings…'),
    ).toHaveCount(0);
    results.settings = await violations(page);
    await page.keyboard.press('Escape');

    await page.getByRole('grid').focus();
    await page.keyboard.press('Control+k');
    await expect(page.getByRole('dialog', { name: 'Command palette' })).toBeVisible();
    results.palette = await violations(page);
    await page.keyboard.press('Escape');

    await rowOf(page, child.port)
      .getByRole('button', { name: /^Kill / })
      .click();
    await expect(page.getByRole('dialog').getByRole('button', { name: 'Kill', exact: true })).toBeEnabled();
    results.kill = await violations(page);
    await page.keyboard.press('Escape');

    await page.goto(session.serve.urlFor('/?view=quick'));
    await expect(page.getByRole('listbox').getByRole('option').first()).toBeVisible({ timeout: APPEAR_MS });
    results.quick = await violations(page);

    // All places at once, so one run names every violation.
    const failing = Object.fromEntries(Object.entries(results).filter(([, list]) => list.length > 0));
    expect(failing, scheme).toEqual({});
  });
}
