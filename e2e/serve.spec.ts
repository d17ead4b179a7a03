import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { type Listener, spawnListener } from '../electron/core/testing/children';
import { type ServeHandle, startServe } from './support/serve';

/**
 * The whole product path in Chromium: `portscope serve` (the built CLI), the token URL (token in
 * the fragment → sessionStorage → the socket's auth frame), the built renderer over the WebSocket,
 * the real engine, and a port this test opens.
 */

let serve: ServeHandle;
let child: Listener;

test.beforeAll(async () => {
  serve = await startServe();
});
test.afterAll(async () => {
  child?.kill();
  await serve?.stop();
});

test('the token URL logs in, leaves the address bar, survives a reload, and the page shows a port the test opened', async ({
  page,
  context,
}) => {
  const response = await page.goto(serve.url);
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  // The token went from the fragment into this origin's sessionStorage: not in the address bar,
  // not in a cookie (there are none), not in the history entry.
  expect(page.url()).toBe(`${serve.origin}/`);
  expect(await page.evaluate('window.location.hash')).toBe('');
  expect(await page.evaluate('document.cookie')).toBe('');
  expect(await context.cookies()).toEqual([]);
  expect(await page.evaluate("sessionStorage.getItem('portscope.token')")).toBe(serve.token);
  // A reload keeps working from sessionStorage.
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();

  child = await spawnListener({ name: 'e2e-serve' });
  const grid = page.getByRole('grid');
  await expect(grid).toBeVisible();
  // The table is virtualised and a busy machine has thousands of rows: find it the way a user would.
  await page.getByRole('searchbox', { name: 'Filter' }).fill(`:${child.port}`);
  await expect(
    grid
      .getByRole('row')
      .filter({ hasText: String(child.port) })
      .first(),
  ).toContainText('e2e-serve');

  // The port leaves the table when its process ends.
  child.kill();
  await expect(grid.getByRole('row').filter({ hasText: `${child.port}` })).toHaveCount(0);
});

test('without the token the page loads but the api is unreachable', async ({ browser }) => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // Pages carry no secret: served to anyone naming our Host, and it says how to get in.
  const response = await page.goto(`${serve.origin}/`);
  expect(response?.status()).toBe(200);
  await expect(page.getByText('This page’s session has ended.')).toBeVisible();
  expect(JSON.parse(await (await page.request.get(`${serve.origin}/healthz`)).text())).toEqual({ ok: true });
  // Our own origin, so the upgrade passes the Origin check; without the token nothing is served.
  const outcome = await page.evaluate(`(async () => {
    const attempt = (first) => new Promise((resolve) => {
      const s = new WebSocket('ws://127.0.0.1:${serve.port}/ws');
      const got = [];
      s.onopen = () => {
        s.send(first);
        s.send(JSON.stringify({ type: 'req', id: 1, channel: 'monitor:status', payload: {} }));
      };
      s.onmessage = (e) => got.push(String(e.data));
      s.onclose = (e) => resolve({ code: e.code, got });
    });
    return [
      await attempt(JSON.stringify({ type: 'req', id: 0, channel: 'snapshot:get', payload: {} })),
      await attempt(JSON.stringify({ type: 'auth', token: 'x'.repeat(43) })),
    ];
  })()`);
  expect(outcome).toEqual([
    { code: 4400, got: [] },
    { code: 4401, got: [] },
  ]);
  await context.close();
});

test('a logged-in browser on a page of another origin cannot use the socket or read the api', async ({
  page,
}) => {
  // Another port on 127.0.0.1 is the same *site*; its page must not reach the socket (Origin), the
  // api over HTTP (no CORS) or the token (sessionStorage is per origin, port included).
  const evil = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end('<!doctype html><title>evil</title>');
  });
  await new Promise<void>((resolve) => evil.listen(0, '127.0.0.1', resolve));
  try {
    await page.goto(serve.url);
    await page.goto(`http://127.0.0.1:${(evil.address() as AddressInfo).port}/`);
    const outcome = await page.evaluate(`(async () => {
      const ws = await new Promise((resolve) => {
        const s = new WebSocket('ws://127.0.0.1:${serve.port}/ws');
        s.onopen = () => resolve('opened');
        s.onerror = () => resolve('refused');
      });
      let read;
      try {
        const r = await fetch('${serve.origin}/healthz', { credentials: 'include' });
        read = 'read ' + r.status;
      } catch {
        read = 'blocked';
      }
      return { ws, read, stored: sessionStorage.length };
    })()`);
    expect(outcome).toEqual({ ws: 'refused', read: 'blocked', stored: 0 });
  } finally {
    await new Promise((resolve) => evil.close(resolve));
  }
});

test('the quick view is served under the same rules', async ({ page }) => {
  await page.goto(serve.urlFor('/?view=quick'));
  expect(page.url()).toBe(`${serve.origin}/?view=quick`);
  expect(await page.evaluate('document.cookie')).toBe('');
  await expect(page.getByRole('combobox', { name: 'Find a port' })).toBeVisible();
});

test('a page left open across a restart of `portscope serve` says its session ended instead of retrying', async ({
  page,
}) => {
  const first = await startServe();
  let second: ServeHandle | null = null;
  try {
    await page.goto(first.url);
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
    await first.stop();
    await expect(page.getByText('Lost the connection to the Portscope engine.')).toBeVisible();
    // The same port, a new token: the page's token (sessionStorage) belongs to the old session,
    // and the server's auth refusal (close 4401) tells the page so.
    second = await startServe({ args: ['--port', String(first.port)] });
    await expect(page.getByText('This page’s session has ended.')).toBeVisible({ timeout: 15_000 });
    await expect(page.getByRole('status').filter({ hasText: 'Session ended' })).toBeVisible();
    await page.screenshot({ path: 'test-results/screenshots/session-ended.png' });
    // Opening the new URL is the way back, even in the same tab (only the fragment changes there).
    await page.goto(second.url);
    await expect(page.getByRole('status').filter({ hasText: 'Live' })).toBeVisible();
  } finally {
    await first.stop();
    await second?.stop();
  }
});
