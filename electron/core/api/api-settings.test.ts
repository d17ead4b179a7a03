import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, type PushChannel } from '../../../shared/contract';
import { defaultSettings, type Settings } from '../../../shared/settings';
import { createKiller } from '../kill';
import { Monitor } from '../monitor/monitor';
import { createSettingsStore } from '../settings/settings';
import { createApi } from './api';

/** settings:get / settings:update through the api object, on a real settings file in a temp dir. */

let dir: string;
let monitor: Monitor;
const killer = createKiller({ protectedPids: () => [process.pid] });

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'portscope-api-settings-'));
  monitor = new Monitor({ intervalMs: 2000 });
  monitor.start();
});
afterAll(async () => {
  monitor.stop();
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  for (const f of await readdir(dir)) await rm(path.join(dir, f), { force: true });
});

async function setup(content?: string) {
  const file = path.join(dir, 'settings.json');
  if (content !== undefined) await writeFile(file, content);
  const store = createSettingsStore(file);
  const { notice } = await store.load();
  const pushes: [PushChannel, unknown][] = [];
  const api = createApi({ monitor, killer, settings: store, settingsNotice: notice }).connect(
    (channel, payload) => {
      if (channel === 'settings') pushes.push([channel, payload]);
    },
  );
  const off = () => api.close();
  return { file, api, pushes, off };
}

async function rejection(p: Promise<unknown>): Promise<ApiError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(ApiError);
  return e as ApiError;
}

describe('settings channels', () => {
  it('saves a patch to disk, changes the poll interval and pushes the new settings', async () => {
    const { file, api, pushes, off } = await setup();
    const first = (await api.invoke('settings:get', {})) as { settings: Settings; notice: string | null };
    expect(first).toEqual({
      settings: { ...defaultSettings },
      notice: null,
      currentUser: userInfo().username,
    });
    const next = (await api.invoke('settings:update', {
      patch: { pollIntervalMs: 750, watchedPorts: [5432, 3000], theme: 'dark' },
    })) as Settings;
    expect(next).toMatchObject({ pollIntervalMs: 750, watchedPorts: [5432, 3000], theme: 'dark' });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(next);
    expect(monitor.intervalMsNow()).toBe(750);
    expect(pushes).toEqual([['settings', next]]);
    off();
  });

  it('rejects a bad patch with invalid-request and writes nothing', async () => {
    const { file, api, pushes, off } = await setup();
    const before = monitor.intervalMsNow();
    const bad: unknown[] = [
      { patch: { pollIntervalMs: 10 } },
      { patch: { pollIntervalMs: '1000' } },
      { patch: { watchedPorts: [3000, 3000] } },
      { patch: { watchedPorts: ['3000'] } },
      { patch: { watchedPorts: [70000] } },
      { patch: { theme: 'neon' } },
      { patch: { unknownKey: true } },
      { patch: { __proto__: { confirmKill: false } }, extra: 1 },
      { theme: 'dark' },
      {},
    ];
    for (const payload of bad) {
      expect((await rejection(api.invoke('settings:update', payload))).code).toBe('invalid-request');
    }
    await expect(readFile(file, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(pushes).toEqual([]);
    expect(monitor.intervalMsNow()).toBe(before);
    off();
  });

  it('hands the load notice of a corrupt file to the first settings:get only', async () => {
    const { api, off } = await setup('{"pollIntervalMs": 500, "theme": ');
    const first = (await api.invoke('settings:get', {})) as { notice: string | null; settings: Settings };
    expect(first.notice).toMatch(/unreadable.*a copy was kept/);
    expect(first.settings).toEqual({ ...defaultSettings });
    const second = (await api.invoke('settings:get', {})) as { notice: string | null };
    expect(second.notice).toBeNull();
    expect((await readdir(dir)).some((f) => f.startsWith('settings.json.corrupt-'))).toBe(true);
    off();
  });

  it('an unexpected failure reaches the page short, without paths; the full error goes to the log', async () => {
    const file = path.join(dir, 'settings.json');
    const store = createSettingsStore(file);
    await store.load();
    const logged: [string, unknown][] = [];
    const api = createApi({
      monitor,
      killer,
      settings: store,
      logError: (ch, e) => logged.push([ch, e]),
    }).connect(() => {});
    // A directory where the file should be: the atomic rename over it fails.
    await mkdir(path.join(file, 'in-the-way'), { recursive: true });
    const e = await rejection(api.invoke('settings:update', { patch: { notifications: false } }));
    expect(e.code).toBe('internal');
    expect(e.message).toMatch(/^Portscope failed to handle settings:update: /);
    expect(e.message).not.toContain(dir);
    expect(logged).toHaveLength(1);
    expect(String((logged[0] as [string, Error])[1].message)).toContain(dir);
    await rm(file, { recursive: true, force: true });
  });

  it('without a settings store both channels answer a clear refusal', async () => {
    const api = createApi({ monitor, killer }).connect(() => {});
    for (const [channel, payload] of [
      ['settings:get', {}],
      ['settings:update', { patch: { theme: 'dark' } }],
    ] as const) {
      const e = await rejection(api.invoke(channel, payload));
      expect(e.code).toBe('refused');
      expect(e.message).toMatch(/Settings are not available/);
    }
  });
});
