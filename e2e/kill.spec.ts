import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, type Page, test } from '@playwright/test';
import type { ListenerOptions } from '../electron/core/testing/children';
import { cleanupChildren } from '../electron/core/testing/kill-children';
import { spawnPreFork } from '../electron/core/testing/pre-fork';
import { APPEAR_MS, serveSession } from './support/session';

/**
 * Issues 5 and 11 in the window, end to end: the real `portscope serve`, the built renderer in
 * Chromium, the real engine and kill engine, and child processes that really hold a port and
 * really die. A listening row's Kill frees its port: every holder is named, and success is said
 * only once the kernel no longer shows a listener on it.
 */

const session = serveSession();

const listener = (opts: ListenerOptions) => session.spawn(opts);

/** The table row of a port (the port cell is exact: 3000 must not match 30001). */
function rowOf(page: Page, port: number) {
  return page
    .getByRole('row')
    .filter({ has: page.getByRole('gridcell', { name: String(port), exact: true }) });
}

test('kill from the row: the dialog names the process, Enter frees the port, its row leaves', async ({
  page,
}) => {
  await page.goto(session.serve.url);
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
  await expect(page.getByRole('status').filter({ hasText: 'e2e-kill' })).toContainText(
    `Port ${child.port}/tcp is free: ended e2e-kill (PID ${child.pid}).`,
  );
  await expect(row).toHaveCount(0);
});

test('a process that ignores SIGTERM: the dialog says so and Force kill ends it', async ({ page }) => {
  await page.goto(session.serve.url);
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
  await expect(dialog.getByRole('alert')).toContainText(
    `Port ${child.port}/tcp is still held by e2e-stubborn (PID ${child.pid}).`,
  );
  expect(child.alive()).toBe(true);
  await page.screenshot({ path: 'test-results/screenshots/kill-dialog-force.png' });

  await force.click();
  await child.exited;
  expect(child.child.signalCode).toBe('SIGKILL');
  await expect(dialog).toHaveCount(0);
  await expect(row).toHaveCount(0);
});

test('Escape closes the dialog and nothing is sent', async ({ page }) => {
  await page.goto(session.serve.url);
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
  // No sleep: kill a second listener through the same page and wait for it to die. Requests travel
  // one ordered WebSocket, so a kill the Escape had wrongly sent for the first one would have been
  // signalled before the second's; the first must still be alive now.
  const other = await listener({ name: 'e2e-after' });
  await expect(rowOf(page, other.port)).toHaveCount(1, { timeout: APPEAR_MS });
  await rowOf(page, other.port)
    .getByRole('button', { name: `Kill e2e-after (PID ${other.pid})` })
    .click();
  await page.getByRole('dialog').getByRole('button', { name: 'Kill', exact: true }).click();
  await other.exited;
  expect(child.alive()).toBe(true);
});

/** True while `pid` runs (a zombie waiting for its reaper counts as gone). */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/** A node listener that has a child of its own (`sleep`), for the tree kill. */
const TREE_SCRIPT = `
const { spawn } = require('node:child_process');
const kid = spawn('sleep', ['1000'], { stdio: 'ignore' });
process.stdin.on('end', () => { kid.kill('SIGKILL'); process.exit(0); });
process.stdin.resume();
require('node:net').createServer().listen(0, '127.0.0.1', function () {
  process.stdout.write('LISTENING ' + this.address().port + ' ' + kid.pid + '\\n');
});
`;

test('freeing a port names the holder’s children before anything is sent, and ends them all', async ({
  page,
}) => {
  const parent = spawn(process.execPath, ['-e', TREE_SCRIPT], { stdio: ['pipe', 'pipe', 'ignore'] });
  let sleepPid = 0;
  try {
    const [port, kidPid] = await new Promise<[number, number]>((resolve, reject) => {
      let out = '';
      parent.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /LISTENING (\d+) (\d+)\n/.exec(out);
        if (m) resolve([Number(m[1]), Number(m[2])]);
      });
      parent.once('exit', () => reject(new Error('tree parent exited early')));
    });
    sleepPid = kidPid;
    await page.goto(session.serve.url);
    const row = rowOf(page, port);
    await expect(row).toHaveCount(1, { timeout: APPEAR_MS });
    await row.getByRole('button', { name: `Kill node (PID ${parent.pid})` }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByRole('button', { name: 'Kill', exact: true })).toBeEnabled();
    const ends = dialog.getByRole('list', { name: 'Processes that will end' });
    await expect(ends).toContainText(`node (PID ${parent.pid})`);
    await expect(ends).toContainText(`sleep (PID ${sleepPid})`);
    await expect(dialog.getByTestId('kill-holders-summary')).toHaveText(
      `Ends node (PID ${parent.pid}) and 1 worker.`,
    );
    await page.screenshot({ path: 'test-results/screenshots/kill-dialog-tree.png' });
    expect(running(sleepPid)).toBe(true);

    await dialog.getByRole('button', { name: 'Kill', exact: true }).click();
    await expect(dialog).toHaveCount(0);
    await expect.poll(() => running(sleepPid)).toBe(false);
    await expect.poll(() => parent.exitCode !== null || parent.signalCode !== null).toBe(true);
  } finally {
    parent.kill('SIGKILL');
    if (sleepPid && running(sleepPid)) process.kill(sleepPid, 'SIGKILL');
  }
});

test('a pre-fork server: the dialog names the master and both workers, and Kill frees the port', async ({
  page,
}) => {
  const server = await spawnPreFork();
  try {
    await page.goto(session.serve.url);
    const row = rowOf(page, server.port);
    await expect(row).toHaveCount(1, { timeout: APPEAR_MS });
    await row.getByRole('button', { name: /^Kill python3 \(PID \d+\)$/ }).click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.getByTestId('kill-holders-summary')).toHaveText(
      `Ends python3 (PID ${server.pid}) and 2 workers.`,
    );
    const ends = dialog.getByRole('list', { name: 'Processes that will end' });
    for (const pid of [server.pid, ...server.workers]) await expect(ends).toContainText(`(PID ${pid})`);
    await page.screenshot({ path: 'test-results/screenshots/kill-dialog-prefork.png' });

    await dialog.getByRole('button', { name: 'Kill', exact: true }).click();
    await expect(dialog).toHaveCount(0);
    await expect(
      page.getByRole('status').filter({ hasText: `Port ${server.port}/tcp is free` }),
    ).toBeVisible();
    await server.exited;
    await expect.poll(() => server.workers.some(running)).toBe(false);
    await expect(row).toHaveCount(0);
  } finally {
    cleanupChildren();
  }
});
