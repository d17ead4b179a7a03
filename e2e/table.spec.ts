import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { expect, type Locator, type Page, test } from '@playwright/test';
import { type Listener, spawnListener } from '../electron/core/testing/children';
import { type ServeHandle, startServe } from './support/serve';

/**
 * The live port table through the real product path: `portscope serve` (built CLI), the built
 * renderer in Chromium, the real engine polling every 500 ms, and real child processes that open
 * and close ports.
 */

const INTERVAL_MS = 500;
/** Two poll intervals, plus what the WebSocket and a paint take on a loaded 2-core machine. */
const APPEAR_MS = 2 * INTERVAL_MS + 1500;
const SHOTS = join(__dirname, '..', 'test-results', 'screenshots');

let serve: ServeHandle;
const children: Listener[] = [];

test.beforeAll(async () => {
  mkdirSync(SHOTS, { recursive: true });
  serve = await startServe({ args: ['--interval', String(INTERVAL_MS)] });
});
test.afterAll(async () => {
  for (const c of children) c.kill();
  await serve?.stop();
});

async function spawn(name: string, protocol: 'tcp' | 'udp' = 'tcp'): Promise<Listener> {
  const c = await spawnListener({ name, protocol });
  children.push(c);
  return c;
}

/**
 * Open the UI and narrow it to this spec's children, as a user would: on a machine with thousands
 * of listeners the virtualized grid renders only the rows in view, so an unfiltered table may never
 * put the test's row in the DOM.
 */
async function open(page: Page, narrow = 'proc:e2e-'): Promise<Locator> {
  await page.setViewportSize({ width: 1280, height: 720 });
  await page.goto(serve.url);
  const grid = page.getByRole('grid');
  await expect(grid).toBeVisible();
  await expect(page.getByText('Loading sockets…')).toHaveCount(0);
  if (narrow) await filter(page).fill(narrow);
  return grid;
}

/** The grid row of a child: its port and its name, both in the row's text. */
const rowOf = (grid: Locator, c: Listener, name: string) =>
  grid
    .getByRole('row')
    .filter({ hasText: name })
    .filter({ hasText: String(c.port) });

const filter = (page: Page) => page.getByRole('searchbox', { name: 'Filter' });

test('a port a child opens appears with its PID, glows as new, and dims then leaves when the child exits', async ({
  page,
}) => {
  const grid = await open(page);
  const child = await spawn('e2e-appear');
  const row = rowOf(grid, child, 'e2e-appear');
  await expect(row).toHaveCount(1, { timeout: APPEAR_MS });
  await expect(row.getByRole('gridcell').nth(7)).toHaveText(String(child.pid));
  await expect(row).toContainText('LISTEN');
  // New rows glow, then the glow fades (about 3 s).
  await expect(row).toHaveAttribute('data-state', 'new');
  await expect(row).not.toHaveAttribute('data-state', 'new', { timeout: 6000 });
  await expect(row.getByRole('button', { name: `Kill e2e-appear (PID ${child.pid})` })).toBeVisible();

  child.kill();
  await child.exited;
  // It stays, dimmed, while it leaves...
  await expect(row).toHaveAttribute('data-state', 'gone', { timeout: APPEAR_MS });
  await expect(row.getByRole('button', { name: /^Kill / })).toHaveCount(0);
  // ...and then it is gone.
  await expect(row).toHaveCount(0, { timeout: 6000 });
});

test('the filter finds a port by number, by name and by token, counts, and explains unknown tokens', async ({
  page,
}) => {
  const grid = await open(page);
  const a = await spawn('e2e-alpha');
  const b = await spawn('e2e-beta', 'udp');
  await expect(rowOf(grid, a, 'e2e-alpha')).toHaveCount(1, { timeout: APPEAR_MS });
  await expect(rowOf(grid, b, 'e2e-beta')).toHaveCount(1, { timeout: APPEAR_MS });
  const bodyRows = grid.getByRole('row').filter({ has: page.getByRole('gridcell') });

  await filter(page).fill('');
  await grid.focus();
  await page.keyboard.press('/');
  await expect(filter(page)).toBeFocused();
  await page.keyboard.type(`:${a.port}`);
  await expect(bodyRows).toHaveCount(1);
  await expect(bodyRows.first()).toContainText('e2e-alpha');
  await expect(page.locator('.ps-filter-count')).toHaveText(/^1 of \d+$/);

  await filter(page).fill('e2e-beta');
  await expect(bodyRows).toHaveCount(1);
  await expect(bodyRows.first()).toContainText('udp');

  await filter(page).fill('proc:e2e- proto:tcp');
  await expect(bodyRows.filter({ hasText: 'e2e-alpha' })).toHaveCount(1);
  await expect(bodyRows.filter({ hasText: 'e2e-beta' })).toHaveCount(0);

  await filter(page).fill(`pid:${b.pid}`);
  await expect(bodyRows).toHaveCount(1);
  await expect(bodyRows.first()).toContainText(String(b.port));

  await filter(page).fill('proc:e2e- -proc:e2e-alpha');
  await expect(bodyRows.filter({ hasText: 'e2e-alpha' })).toHaveCount(0);
  await expect(bodyRows.filter({ hasText: 'e2e-beta' })).toHaveCount(1);

  // An unknown key narrows nothing and says so.
  await filter(page).fill('colour:blue e2e-alpha');
  await expect(page.getByText(/unknown filter 'colour:' — try port:, proc:/)).toBeVisible();
  await expect(bodyRows).toHaveCount(1);

  await filter(page).fill('nothing-is-called-this');
  await expect(page.getByText('No sockets match “nothing-is-called-this”.')).toBeVisible();
  // Esc clears; Ctrl+F focuses again from anywhere.
  await filter(page).press('Escape');
  await expect(filter(page)).toHaveValue('');
  await grid.focus();
  await page.keyboard.press('Control+f');
  await expect(filter(page)).toBeFocused();
});

test('headers sort, again reverses; arrows select, Enter opens details, Esc closes, Delete asks to kill', async ({
  page,
}) => {
  const grid = await open(page);
  const kids = [await spawn('e2e-sort-a'), await spawn('e2e-sort-b'), await spawn('e2e-sort-c')];
  for (const k of kids) await expect(rowOf(grid, k, 'e2e-sort')).toHaveCount(1, { timeout: APPEAR_MS });
  await filter(page).fill('proc:e2e-sort');
  // The Port column is the third cell; rows are in the DOM in display order.
  const ports = async () => {
    const rows = grid.getByRole('row').filter({ hasText: 'e2e-sort' });
    const out: number[] = [];
    for (let i = 0; i < (await rows.count()); i++) {
      out.push(Number(await rows.nth(i).getByRole('gridcell').nth(2).textContent()));
    }
    return out;
  };
  const header = grid.getByRole('columnheader', { name: 'Port' });
  const sorted = [...kids.map((k) => k.port)].sort((x, y) => x - y);

  await expect(header).toHaveAttribute('aria-sort', 'ascending');
  expect(await ports()).toEqual(sorted);
  await header.getByRole('button').click();
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  expect(await ports()).toEqual([...sorted].reverse());
  const pidHeader = grid.getByRole('columnheader', { name: 'PID' });
  await pidHeader.getByRole('button').click();
  await expect(pidHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect(header).toHaveAttribute('aria-sort', 'none');

  // Keyboard: into the grid, select, details, close.
  await filter(page).press('ArrowDown');
  await expect(grid).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(grid.locator('[aria-selected="true"]')).toHaveCount(1);
  await page.keyboard.press('Enter');
  const details = page.getByRole('complementary', { name: 'Details' });
  await expect(details).toBeVisible();
  // Every holder of the socket, parent first, with its command line; then the socket's kernel facts.
  const holders = details.getByRole('list', { name: 'Holders' });
  await expect(holders.getByRole('listitem')).toHaveCount(1);
  await expect(holders.locator('.ps-cmdline')).toContainText('e2e-');
  await expect(details.getByText('Inode')).toBeVisible();
  await expect(details.getByText(/Sockets of this process \(1\)/)).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'table-details.png') });
  await page.keyboard.press('Escape');
  await expect(details).toHaveCount(0);

  // Delete asks to kill: the confirmation is a dialog naming the selected process.
  await page.keyboard.press('Delete');
  const dialog = page.getByRole('dialog');
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('e2e-sort');
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);
});

test('screenshots: listening, all sockets, and dark mode', async ({ page }) => {
  const grid = await open(page, 'proc:e2e-shot');
  const c = await spawn('e2e-shot');
  await expect(rowOf(grid, c, 'e2e-shot')).toHaveCount(1, { timeout: APPEAR_MS });
  await page.screenshot({ path: join(SHOTS, 'table-listening.png') });

  await page.getByRole('button', { name: 'All sockets' }).click();
  await expect(grid.getByRole('columnheader', { name: 'Remote' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'All sockets' })).toHaveAttribute('aria-pressed', 'true');
  // The wider scope arrives with the next poll: established connections (ours, the WebSocket) show.
  await filter(page).fill('state:established');
  await expect(grid.getByRole('row').filter({ hasText: 'ESTABLISHED' }).first()).toBeVisible({
    timeout: APPEAR_MS,
  });
  await page.screenshot({ path: join(SHOTS, 'table-all.png') });
  await filter(page).fill('proc:e2e-shot');
  await page.getByRole('button', { name: 'Listening' }).click();
  await expect(grid.getByRole('row').filter({ hasText: 'ESTABLISHED' })).toHaveCount(0);

  await page.emulateMedia({ colorScheme: 'dark' });
  await rowOf(grid, c, 'e2e-shot').click();
  await expect(page.getByRole('complementary', { name: 'Details' })).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'table-dark.png') });
});
