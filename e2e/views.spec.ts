import { type ChildProcess, spawn } from 'node:child_process';
import { type BrowserContext, expect, type Locator, type Page, test } from '@playwright/test';
import { APPEAR_MS, serveSession } from './support/session';

/**
 * Two real tabs of one browser session, each its own client of `portscope serve`: a tab that opens
 * (or reloads) in "Listening" must not take the connections from a tab showing "All sockets"
 * (before per-client views, the scope was one switch and the second tab's resync emptied the first).
 */

const session = serveSession();
const dialers: ChildProcess[] = [];
test.afterEach(() => {
  for (const d of dialers.splice(0)) d.kill('SIGKILL');
});

/** A real child that connects to `port` and stays connected: an ESTABLISHED row on each side. */
function dial(port: number): Promise<ChildProcess> {
  const script = `
const s = require('node:net').connect(${port}, '127.0.0.1', () => process.stdout.write('CONNECTED\\n'));
s.on('error', () => process.exit(3));
process.stdin.on('end', () => process.exit(0));
process.stdin.resume();`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'ignore'] });
  dialers.push(child);
  return new Promise((resolve, reject) => {
    child.stdout?.once('data', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`dialer exited with ${code}`)));
  });
}

async function openTab(context: BrowserContext, url: string): Promise<{ page: Page; grid: Locator }> {
  const page = await context.newPage();
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(url);
  const grid = page.getByRole('grid');
  await expect(grid).toBeVisible();
  await expect(page.getByText('Loading sockets…')).toHaveCount(0);
  return { page, grid };
}

const filter = (page: Page) => page.getByRole('searchbox', { name: 'Filter' });
/** The connections the listener child accepted: its name, ESTABLISHED. */
const accepted = (grid: Locator) =>
  grid.getByRole('row').filter({ hasText: 'e2e-views' }).filter({ hasText: 'ESTABLISHED' });

test('a tab in Listening (opened and reloaded) leaves another tab in All sockets its connections and deltas', async ({
  browser,
}) => {
  const listener = await session.spawn({ name: 'e2e-views' });
  await dial(listener.port);
  const context = await browser.newContext();
  try {
    const a = await openTab(context, session.serve.url);
    await a.page.getByRole('button', { name: 'All sockets' }).click();
    await filter(a.page).fill('proc:e2e-views');
    await expect(accepted(a.grid)).toHaveCount(1, { timeout: APPEAR_MS });

    // Tab B: opened from the printed URL too (sessionStorage is per tab), its own socket; it shows
    // Listening, then reloads in it.
    const b = await openTab(context, session.serve.url);
    await b.page.getByRole('button', { name: 'Listening' }).click();
    await expect(b.page.getByRole('button', { name: 'Listening' })).toHaveAttribute('aria-pressed', 'true');
    await b.page.reload();
    await expect(b.page.getByRole('button', { name: 'Listening' })).toHaveAttribute('aria-pressed', 'true');
    await filter(b.page).fill('proc:e2e-views');
    await expect(
      b.grid
        .getByRole('row')
        .filter({ hasText: String(listener.port) })
        .first(),
    ).toBeVisible({
      timeout: APPEAR_MS,
    });
    await expect(accepted(b.grid)).toHaveCount(0);

    // Tab A still shows the connection, and a new one arrives there as a delta, not in B.
    await expect(a.page.getByRole('button', { name: 'All sockets' })).toHaveAttribute('aria-pressed', 'true');
    await expect(accepted(a.grid)).toHaveCount(1);
    await dial(listener.port);
    await expect(accepted(a.grid)).toHaveCount(2, { timeout: APPEAR_MS });
    await expect(accepted(b.grid)).toHaveCount(0);
  } finally {
    await context.close();
  }
});
