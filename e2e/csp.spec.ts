import { expect, type Page, test } from '@playwright/test';
import { CONTENT_SECURITY_POLICY } from '../shared/page-security';
import { APPEAR_MS, serveSession } from './support/session';

/**
 * The strict policy (no 'unsafe-inline' for styles or scripts) in a real Chromium: the page is sent
 * with it, and using the UI (rows drawn by the virtualizer, details, palette, settings, the quick
 * view) triggers no CSP violation. React's `style` props and the virtualizer write CSSOM properties,
 * which CSP allows; a `style="…"` attribute in HTML or a `<style>` element would be reported here.
 */

const session = serveSession();

/** Record every violation the page reports, from its very first script on. */
async function watchViolations(page: Page): Promise<string[]> {
  const seen: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.push(m.text());
  });
  await page.exposeFunction('__cspViolation', (text: string) => seen.push(text));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      const report = (globalThis as unknown as { __cspViolation(t: string): void }).__cspViolation;
      report(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sample}) at ${e.sourceFile}:${e.lineNumber}:${e.columnNumber}`,
      );
    });
  });
  return seen;
}

test('the page is served with the strict policy and uses the UI without a CSP violation', async ({
  page,
}) => {
  const listener = await session.spawn({ name: 'csp-probe' });
  const seen = await watchViolations(page);
  const response = await page.goto(session.serve.url);
  expect(response?.headers()['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');

  const grid = page.getByRole('grid');
  await expect(grid).toBeVisible();
  await page.getByRole('searchbox', { name: 'Filter' }).fill(`:${listener.port}`);
  const row = grid
    .getByRole('row')
    .filter({ hasText: String(listener.port) })
    .first();
  await expect(row).toBeVisible({ timeout: APPEAR_MS });
  await row.click();
  await page.keyboard.press('Control+k');
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await expect(page.getByRole('dialog')).toBeVisible();
  await page.keyboard.press('Escape');

  // Same tab, same origin: the quick view, as quick.spec.ts opens it.
  await page.goto(`${session.serve.origin}/?view=quick`);
  await expect(page.getByRole('listbox', { name: 'Listening ports' })).toBeVisible();
  // A round trip through the page after the last render: any violation was reported by now.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0))));
  expect(seen).toEqual([]);
});
