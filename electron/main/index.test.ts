import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannel, requestChannels } from '../../shared/contract';
import type { MonitorStatus, Snapshot } from '../../shared/model';
import { decodeResult } from '../../shared/wire';
import type { IpcEnvelope } from './ipc-router';
import { CONTENT_SECURITY_POLICY, EXPECTED_PREFERENCES } from './security-rules';
import { FakeBrowserWindow, FakeTray, fake, fakeEvent } from './testing/fake-electron';

// The Electron binary cannot exist here, so the 'electron' module is the recording stand-in; everything
// else is real: the main process lifecycle, the Monitor polling this machine, the kill engine, settings.
vi.mock('electron', async () => (await import('./testing/fake-electron')).electronModule);

const root = join(__dirname, '..', '..');
const userData = mkdtempSync(join(tmpdir(), 'portscope-main-'));
let server: Server;
let port = 0;

async function until<T>(
  probe: () => T | undefined | null | false | Promise<T | undefined | null | false>,
  what: string,
  ms = 20_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    // Awaited: an async probe's promise is always truthy, which made such waits pass at once.
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

function trustedEvent(win: FakeBrowserWindow) {
  const f = win.webContents.mainFrame;
  return { sender: { id: win.webContents.id }, senderFrame: { ...f } };
}

async function call<T>(channel: string, payload: unknown, event: unknown): Promise<IpcEnvelope<T>> {
  const h = fake.handlers.get(ipcChannel(channel as never));
  if (!h) throw new Error(`no handler for ${channel}`);
  return (await h(event, payload)) as IpcEnvelope<T>;
}

type Item = { label?: string; click?: () => void; submenu?: Item[] };
const flat = (items: Item[]): Item[] => items.flatMap((i) => [i, ...flat(i.submenu ?? [])]);
const mainWindow = () => FakeBrowserWindow.all[0] as FakeBrowserWindow;

beforeAll(async () => {
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
  fake.app.userData = userData;
  fake.app.appPath = root;
  await import('./index');
  await until(
    () => FakeTray.last && fake.handlers.size === requestChannels.length && mainWindow()?.visible,
    'start',
  );
});

afterAll(() => {
  if (fake.handlers.size) fake.app.quit();
  server?.close();
  rmSync(userData, { recursive: true, force: true });
});

describe('main process wiring (real engine, stand-in Electron)', () => {
  it('creates the main window hidden with the secure preferences, then shows it when ready', () => {
    const win = mainWindow();
    expect(win.options.show).toBe(false);
    expect(win.options.webPreferences).toMatchObject(EXPECTED_PREFERENCES);
    expect(String((win.options.webPreferences as { preload: string }).preload)).toMatch(
      /preload[\\/]index\.cjs$/,
    );
    expect(win.webContents.getURL()).toBe('portscope://app/index.html');
    // Not packaged: a development run keeps DevTools and Electron's default menu.
    expect(win.options.webPreferences).toMatchObject({ devTools: true });
    expect(fake.applicationMenus).toEqual([]);
    expect(win.visible).toBe(true);
  });

  it('registers one handler per channel that serves a real snapshot to our window', async () => {
    const reply = await call<Snapshot>('snapshot:get', {}, trustedEvent(mainWindow()));
    expect(reply.ok).toBe(true);
    if (reply.ok) {
      // Rows cross IPC packed (shared/wire.ts); the bridge transport unpacks them like this.
      const snap = decodeResult('snapshot:get', reply.result) as Snapshot;
      const rows = snap.rows.filter((r) => r.localPort === port && r.state === 'LISTEN');
      expect(rows.map((r) => r.pid)).toContain(process.pid);
    }
  });

  it('states what the desktop can do: open URLs, a tray, notifications, a settings file', async () => {
    const reply = await call('host:capabilities', {}, trustedEvent(mainWindow()));
    expect(reply).toMatchObject({
      ok: true,
      result: { host: 'desktop', openUrl: true, tray: true, notifications: true, settings: true },
    });
  });

  it('refuses a sender that is not our window, and a bad payload, without acting', async () => {
    const stranger = {
      sender: { id: 9999 },
      senderFrame: { url: 'https://evil.example/', processId: 1, routingId: 1, parent: null },
    };
    expect(await call('monitor:pause', {}, stranger)).toMatchObject({
      ok: false,
      error: { code: 'refused' },
    });
    expect(await call('monitor:set-interval', { intervalMs: 1 }, trustedEvent(mainWindow()))).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    const status = await call<MonitorStatus>('monitor:status', {}, trustedEvent(mainWindow()));
    expect(status).toMatchObject({ ok: true, result: { state: 'polling', intervalMs: 1000 } });
  });

  it('opens only a validated loopback URL for a listening port', async () => {
    expect(await call('port:open', { port }, trustedEvent(mainWindow()))).toMatchObject({
      ok: true,
      result: { opened: true },
    });
    expect(fake.opened).toContain(`http://localhost:${port}/`);
  });

  it('shows the listening ports in the tray: tooltip count and a menu item for our port', async () => {
    const tray = FakeTray.last as FakeTray;
    await until(() => /^\d+ ports? listening$/.test(tray.tooltip), 'tooltip');
    const items = flat(tray.menu as Item[]);
    const labels = items.map((i) => i.label ?? '');
    expect(labels).toEqual(
      expect.arrayContaining(['Free a port…', 'Pause updates', 'Show Portscope', 'Quit Portscope']),
    );
    // Our port is listed, unless the machine has more listeners below it than the menu shows (then "More…").
    const portItems = (tray.menu as Item[]).filter((i) => i.submenu);
    if (!labels.includes(`${port}/tcp`)) {
      expect(portItems).toHaveLength(12);
      expect(labels.some((l) => /^More… \(\d+ more\)$/.test(l))).toBe(true);
    }
    const first = portItems[0];
    first?.submenu?.find((i) => i.label === 'Copy address')?.click?.();
    expect(fake.copied.at(-1)).toMatch(new RegExp(`:${first?.label?.split('/')[0]}$`));
  });

  it('pushes deltas and status to the window on the contract channels', async () => {
    await call('monitor:pause', {}, trustedEvent(mainWindow()));
    await until(() => mainWindow().webContents.sent.some(([c]) => c === ipcChannel('status')), 'status push');
    await call('monitor:resume', {}, trustedEvent(mainWindow()));
  });

  it('settings:update applies at once: theme, interval, watched ports, the file, a push to the window', async () => {
    const ev = trustedEvent(mainWindow());
    expect(await call('settings:get', {}, ev)).toMatchObject({ ok: true, result: { notice: null } });
    expect(await call('settings:update', { patch: { theme: 'neon' } }, ev)).toMatchObject({
      ok: false,
      error: { code: 'invalid-request' },
    });
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const watched = (free.address() as { port: number }).port;
    await new Promise((r) => free.close(r));
    // Wait until a poll no longer shows the probe: else the new listener on the same port would be
    // one row replacing another, and rightly no "opened".
    await until(async () => {
      const r = await call<Snapshot>('snapshot:get', {}, ev);
      const rows = r.ok ? (decodeResult('snapshot:get', r.result) as Snapshot).rows : [];
      return r.ok && !rows.some((row) => row.localPort === watched);
    }, 'the probe port gone');
    const patch = { theme: 'dark', pollIntervalMs: 750, notifications: true, watchedPorts: [watched] };
    expect(await call('settings:update', { patch }, ev)).toMatchObject({ ok: true, result: patch });
    expect((await import('electron')).nativeTheme.themeSource).toBe('dark');
    expect(mainWindow().webContents.sent).toContainEqual([
      ipcChannel('settings'),
      expect.objectContaining(patch),
    ]);
    expect(JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8'))).toMatchObject(patch);
    const status = await call<MonitorStatus>('monitor:status', {}, ev);
    expect(status).toMatchObject({ ok: true, result: { intervalMs: 750 } });
    // The watch list changed after start-up: a port opening on it now raises a notification.
    const before = fake.notifications.length;
    const late = createServer();
    await new Promise<void>((r) => late.listen(watched, '127.0.0.1', r));
    await until(
      () => fake.notifications.slice(before).find((n) => n.body.startsWith(`Port ${watched} opened`)),
      'watched port notification',
    );
    await new Promise((r) => late.close(r));
    const reset = { theme: 'system', pollIntervalMs: 1000, notifications: false, watchedPorts: [] };
    expect(await call('settings:update', { patch: reset }, ev)).toMatchObject({ ok: true });
    fake.notifications.length = 0;
  });

  it('closing the window keeps Portscope in the tray, says so once, and slows polling', async () => {
    const win = mainWindow();
    win.close();
    expect(win.destroyed).toBe(false);
    expect(win.visible).toBe(false);
    // Only the tray notice counts here: a watched-port notice from the test before may still land.
    const trayNotices = () => fake.notifications.filter((n) => n.title === 'Portscope is still running');
    expect(trayNotices()).toHaveLength(1);
    await until(() => {
      try {
        return (
          JSON.parse(readFileSync(join(userData, 'settings.json'), 'utf8')).closeToTrayNoticeShown === true
        );
      } catch {
        return false;
      }
    }, 'settings write');
    // The file shows the write a moment before the store's memory does (the rename's callback is still
    // queued under load): the next close reads memory, so wait for the store itself too.
    await until(async () => {
      const r = await call<{ settings: { closeToTrayNoticeShown: boolean } }>(
        'settings:get',
        {},
        trustedEvent(win),
      );
      return r.ok && r.result.settings.closeToTrayNoticeShown;
    }, 'settings in memory');
    const status = await until(async () => {
      const r = await call<MonitorStatus>('monitor:status', {}, trustedEvent(win));
      return r.ok && r.result.observed === false ? r : null;
    }, 'observed=false');
    expect(status).toBeTruthy();
    win.show();
    win.close();
    expect(trayNotices()).toHaveLength(1);
  });

  it('Show Portscope in the tray brings the window back and polling speeds up', async () => {
    const show = flat((FakeTray.last as FakeTray).menu as Item[]).find((i) => i.label === 'Show Portscope');
    show?.click?.();
    expect(mainWindow().visible).toBe(true);
    await until(async () => {
      const r = await call<MonitorStatus>('monitor:status', {}, trustedEvent(mainWindow()));
      return r.ok && r.result.observed;
    }, 'observed=true');
  });

  it('a tray click opens the frameless quick view at the tray; it is a trusted sender; blur hides it', async () => {
    (FakeTray.last as FakeTray).emit('click');
    const quick = FakeBrowserWindow.all[1] as FakeBrowserWindow;
    expect(quick.options).toMatchObject({ frame: false, skipTaskbar: true, show: false });
    expect(quick.options.webPreferences).toMatchObject(EXPECTED_PREFERENCES);
    expect(quick.webContents.getURL()).toMatch(/\?view=quick$/);
    expect(quick.visible).toBe(true);
    expect(quick.position[1]).toBe(28); // below a tray at the top of the screen
    expect(await call('monitor:status', {}, trustedEvent(quick))).toMatchObject({ ok: true });
    // Each window is its own client: the main window's All sockets is not the quick view's scope.
    await call('monitor:set-scope', { scope: 'all' }, trustedEvent(mainWindow()));
    expect(await call('monitor:status', {}, trustedEvent(quick))).toMatchObject({
      ok: true,
      result: { scope: 'listening' },
    });
    expect(await call('monitor:set-scope', { scope: 'listening' }, trustedEvent(mainWindow()))).toMatchObject(
      {
        ok: true,
        result: { scope: 'listening' },
      },
    );
    // A click on the icon while it is open blurs it first, then clicks: it must stay closed.
    quick.emit('blur');
    expect(quick.visible).toBe(false);
    (FakeTray.last as FakeTray).emit('click');
    expect(quick.visible).toBe(false);
    // "Free a port…" always opens it, with the search box prefilled from ?q=.
    flat((FakeTray.last as FakeTray).menu as Item[])
      .find((i) => i.label === 'Free a port…')
      ?.click?.();
    expect(quick.visible).toBe(true);
    expect(new URL(quick.webContents.getURL()).searchParams.get('q')).toBe('');
  });

  it('applies the session and webContents rules', () => {
    const page = mainWindow().webContents.getURL();
    const answers: boolean[] = [];
    fake.permissionRequest?.({ getURL: () => page }, 'geolocation', (ok) => answers.push(ok));
    fake.permissionRequest?.({ getURL: () => page }, 'clipboard-sanitized-write', (ok) => answers.push(ok));
    fake.permissionRequest?.({ getURL: () => 'https://evil.example/' }, 'clipboard-sanitized-write', (ok) =>
      answers.push(ok),
    );
    expect(answers).toEqual([false, true, false]);
    expect(fake.permissionCheck?.(null, 'media', 'file://', { requestingUrl: page })).toBe(false);

    let headers: { responseHeaders?: Record<string, string[]> } = {};
    fake.headers?.({ url: page, responseHeaders: { 'content-security-policy': ['default-src *'] } }, (r) => {
      headers = r;
    });
    expect(headers.responseHeaders).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });

    const wc = mainWindow().webContents;
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      const ev = fakeEvent();
      wc.emit(name, ev);
      expect(ev.defaultPrevented).toBe(true);
    }
    expect(wc.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(wc.windowOpenHandler?.({ url: 'http://localhost:5173' })).toEqual({ action: 'deny' });
    expect(fake.opened).not.toContain('https://evil.example/');
  });

  it('Quit in the tray removes every handler and the tray', () => {
    const quit = flat((FakeTray.last as FakeTray).menu as Item[]).find((i) => i.label === 'Quit Portscope');
    quit?.click?.();
    expect(fake.handlers.size).toBe(0);
    expect((FakeTray.last as FakeTray).destroyed).toBe(true);
  });
});
