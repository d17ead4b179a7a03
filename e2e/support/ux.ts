import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type Listener, type ListenerOptions, spawnListener } from '../../electron/core/testing/children';
import { type ServeHandle, startServe } from './serve';

/** First appearance of a new row: generous, since other suites may share the two cores. */
export const APPEAR_MS = 30_000;

/**
 * One `portscope serve` per spec file with its own settings folder (XDG_CONFIG_HOME in a temp dir:
 * hide rules and column choices made here never reach the user's), plus real listener children.
 */
export function uxSession(): {
  readonly serve: ServeHandle;
  spawn(opts: ListenerOptions): Promise<Listener>;
} {
  let serve: ServeHandle | undefined;
  let config = '';
  const children: Listener[] = [];
  test.beforeAll(async () => {
    config = mkdtempSync(join(tmpdir(), 'portscope-ux-'));
    serve = await startServe({ env: { XDG_CONFIG_HOME: config } });
  });
  test.afterAll(async () => {
    for (const c of children.splice(0)) c.kill();
    await serve?.stop();
    if (config) rmSync(config, { recursive: true, force: true });
  });
  return {
    get serve() {
      if (!serve) throw new Error('uxSession: the server starts in beforeAll');
      return serve;
    },
    async spawn(opts) {
      const c = await spawnListener(opts);
      children.push(c);
      return c;
    },
  };
}

/** Open the main view at a width and colour scheme, filtered to this spec's children. */
export async function openMain(
  page: Page,
  serve: ServeHandle,
  opts: { width: number; scheme: 'light' | 'dark'; filter?: string },
): Promise<void> {
  await page.setViewportSize({ width: opts.width, height: 640 });
  await page.emulateMedia({ colorScheme: opts.scheme });
  await page.goto(serve.url);
  await expect(page.getByRole('grid')).toBeVisible();
  await expect(page.getByText('Loading sockets…')).toHaveCount(0);
  if (opts.filter) await page.getByRole('searchbox', { name: 'Filter' }).fill(opts.filter);
}

/** The grid row of a port. */
export const rowOf = (page: Page, port: number) =>
  page
    .getByRole('grid')
    .getByRole('row')
    .filter({ hasText: String(port) });
