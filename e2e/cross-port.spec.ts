import { expect, test } from '@playwright/test';
import { type Attacker, loot, replay, type Served, startAttacker } from './support/attacker';
import { APPEAR_MS, serveSession } from './support/session';

/**
 * Issue 13, the exploit: browsers do not separate cookies by port, so a page on another
 * 127.0.0.1 port received Portscope's login cookie (the token itself), replayed it from a
 * non-browser client with the right Host and Origin, and force-killed a process. Here a real
 * Chromium logs in through the printed URL, then visits another local user's real server, which
 * replays everything it received. Before the fix this test failed (the attacker read the socket
 * table and killed the victim); now it must get nothing.
 */

const session = serveSession();
let attacker: Attacker | undefined;
test.afterEach(async () => {
  await attacker?.close();
});

test('a page on another loopback port receives no credential and cannot use the api', async ({ page }) => {
  const victim = await session.spawn({ name: 'e2e-victim' });
  attacker = await startAttacker();

  await page.goto(session.serve.url);
  await page.getByRole('searchbox', { name: 'Filter' }).fill(`:${victim.port}`);
  await expect(page.getByRole('grid').getByRole('row').filter({ hasText: 'e2e-victim' }).first()).toBeVisible(
    {
      timeout: APPEAR_MS,
    },
  );
  // The logged-in browser wanders off to the other user's page (a link, a bookmark, a redirect).
  await page.goto(`${attacker.origin}/cats`);
  await page.goto(`${attacker.origin}/more-cats?x=1`);
  expect(attacker.received.length).toBeGreaterThanOrEqual(2);

  // The other server replays every cookie header and every credential-shaped value it received.
  const { cookieHeaders, secrets } = loot(attacker.received);
  const served: Served[] = [];
  for (const cookie of [null, ...cookieHeaders]) {
    served.push(...(await replay(session.serve.port, cookie, null, victim.port)));
    for (const secret of secrets)
      served.push(...(await replay(session.serve.port, cookie, secret, victim.port)));
  }

  expect(served.map((s) => s.channel)).toEqual([]);
  expect(victim.alive()).toBe(true);
  // Nothing the browser sent to the other port carries the token, in any header or the URL.
  const everything = JSON.stringify(attacker.received);
  expect(everything.includes(session.serve.token)).toBe(false);
});
