import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { ipcChannel, requestChannels } from '../../shared/contract';
import type { IpcEnvelope } from './ipc-router';
import { FakeBrowserWindow, fake } from './testing/fake-electron';

// The main process as a packaged app (app.isPackaged) started by someone who set
// ELECTRON_RENDERER_URL to their own page: the real lifecycle wiring and engine, stand-in Electron.
vi.mock('electron', async () => (await import('./testing/fake-electron')).electronModule);

const root = join(__dirname, '..', '..');
const scratch = mkdtempSync(join(tmpdir(), 'portscope-packaged-'));
const attacker = 'http://127.0.0.1:5173/';
const saved = { url: process.env.ELECTRON_RENDERER_URL, resources: process.resourcesPath };
const mainWindow = () => FakeBrowserWindow.all[0] as FakeBrowserWindow;

async function until<T>(probe: () => T | undefined | null | false, what: string, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function call(channel: string, url: string): Promise<IpcEnvelope<unknown>> {
  const h = fake.handlers.get(ipcChannel(channel as never));
  if (!h) throw new Error(`no handler for ${channel}`);
  const f = mainWindow().webContents.mainFrame;
  const event = { sender: { id: mainWindow().webContents.id }, senderFrame: { ...f, url } };
  return (await h(event, {})) as IpcEnvelope<unknown>;
}

beforeAll(async () => {
  // A packaged app finds its icons under process.resourcesPath/icons (electron-builder.yml).
  mkdirSync(join(scratch, 'resources', 'icons'), { recursive: true });
  symlinkSync(join(root, 'build', 'tray'), join(scratch, 'resources', 'icons', 'tray'));
  symlinkSync(join(root, 'build', 'icons'), join(scratch, 'resources', 'icons', 'icons'));
  (process as { resourcesPath?: string }).resourcesPath = join(scratch, 'resources');
  process.env.ELECTRON_RENDERER_URL = attacker;
  fake.app.isPackaged = true;
  fake.app.userData = scratch;
  fake.app.appPath = root;
  await import('./index');
  await until(() => fake.handlers.size === requestChannels.length && mainWindow()?.visible, 'start');
});

afterAll(() => {
  if (fake.handlers.size) fake.app.quit();
  if (saved.url === undefined) delete process.env.ELECTRON_RENDERER_URL;
  else process.env.ELECTRON_RENDERER_URL = saved.url;
  (process as { resourcesPath?: string }).resourcesPath = saved.resources;
  rmSync(scratch, { recursive: true, force: true });
});

describe('a packaged app (stand-in Electron, real engine)', () => {
  it('loads its own page on portscope://app, ignoring ELECTRON_RENDERER_URL', () => {
    expect(mainWindow().webContents.getURL()).toBe('portscope://app/index.html');
  });

  it("refuses IPC from the environment's page, accepts its own origin", async () => {
    expect(await call('monitor:status', attacker)).toMatchObject({ ok: false, error: { code: 'refused' } });
    expect(await call('monitor:status', 'http://127.0.0.1:5173/index.html')).toMatchObject({ ok: false });
    expect(await call('monitor:status', 'file:///index.html')).toMatchObject({ ok: false });
    expect(await call('monitor:status', 'portscope://app/index.html')).toMatchObject({ ok: true });
  });

  it('has no DevTools: the webPreference is off and no menu bar offers them', () => {
    expect(mainWindow().options.webPreferences).toMatchObject({ devTools: false });
    expect(fake.applicationMenus.at(-1)).toBeNull();
  });

  it('serves the page on its privileged scheme, registered before ready, without bypassCSP', async () => {
    expect(fake.privilegedSchemes).toEqual([
      {
        scheme: 'portscope',
        privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true },
        beforeReady: true,
      },
    ]);
    const handler = fake.protocols.get('portscope');
    expect(handler).toBeDefined();
    const res = await handler?.(new Request('portscope://app/..%2f..%2fpackage.json'));
    expect(res?.status).toBe(404);
  });
});
