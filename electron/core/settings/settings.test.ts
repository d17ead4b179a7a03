import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../shared/settings';
import { cliConfigDir, createSettingsStore, SettingsError, writeFileAtomic } from './settings';

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'portscope-settings-'));
  file = path.join(dir, 'settings.json');
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const onDisk = async () => JSON.parse(await readFile(file, 'utf8'));
const backups = async () => (await readdir(dir)).filter((f) => f.startsWith('settings.json.corrupt-'));

describe('settings store', () => {
  it('starts from defaults without a file and writes nothing until an update', async () => {
    const store = createSettingsStore(file);
    const { settings, notice } = await store.load();
    expect(settings).toEqual(defaultSettings);
    expect(notice).toBeNull();
    expect(await readdir(dir)).toEqual([]);
  });

  it('round-trips an update through the file', async () => {
    const store = createSettingsStore(file);
    await store.load();
    const saved = await store.update({ pollIntervalMs: 2500, theme: 'dark', watchedPorts: [5432, 3000] });
    expect(saved).toMatchObject({ pollIntervalMs: 2500, theme: 'dark', watchedPorts: [5432, 3000] });
    expect(await onDisk()).toEqual(saved);

    const again = createSettingsStore(file);
    const { settings, notice } = await again.load();
    expect(notice).toBeNull();
    expect(settings).toEqual(saved);
    expect(again.get()).toEqual(saved);
  });

  it('rejects an invalid patch, changes nothing and writes nothing', async () => {
    const store = createSettingsStore(file);
    await store.load();
    for (const bad of [
      { pollIntervalMs: 10 },
      { pollIntervalMs: 1000.5 },
      { theme: 'neon' },
      { watchedPorts: [0] },
      { watchedPorts: [80, 80] },
      { watchedPorts: Array.from({ length: 201 }, (_, i) => i + 1) },
      { confirmKill: 'yes' },
      { nonsense: true },
      null,
    ]) {
      await expect(store.update(bad)).rejects.toBeInstanceOf(SettingsError);
    }
    expect(store.get()).toEqual(defaultSettings);
    expect(await readdir(dir)).toEqual([]);
  });

  it('keeps a copy of a corrupt file, uses defaults, and tells the user exactly once', async () => {
    const garbage = '\u0000\u0001 not json at all';
    await writeFile(file, garbage);
    const store = createSettingsStore(file);
    const { settings, notice } = await store.load();
    expect(settings).toEqual(defaultSettings);
    const [copy] = await backups();
    expect(copy).toBeDefined();
    expect(notice).toContain('unreadable');
    expect(notice).toContain(path.join(dir, copy as string));
    expect(notice).toContain('defaults are in use');
    expect(await readFile(path.join(dir, copy as string), 'utf8')).toBe(garbage);
    // The bad file was replaced, so the next start is quiet and makes no second copy.
    expect((await createSettingsStore(file).load()).notice).toBeNull();
    expect(await backups()).toHaveLength(1);
  });

  it('treats a half-written (truncated) file the same way', async () => {
    const full = JSON.stringify({ ...defaultSettings, theme: 'dark', watchedPorts: [3000, 8080] });
    const half = full.slice(0, Math.floor(full.length / 2));
    await writeFile(file, half);
    const { settings, notice } = await createSettingsStore(file).load();
    expect(settings).toEqual(defaultSettings);
    expect(notice).toMatch(/unreadable; a copy was kept at .*corrupt-/);
    const [copy] = await backups();
    expect(await readFile(path.join(dir, copy as string), 'utf8')).toBe(half);
  });

  it('handles an empty file, JSON null and a JSON array as unreadable', async () => {
    for (const content of ['', 'null', '[1,2]', '"text"']) {
      await writeFile(file, content);
      const { settings, notice } = await createSettingsStore(file).load();
      expect(settings).toEqual(defaultSettings);
      expect(notice).toContain('unreadable');
    }
    expect(await backups()).toHaveLength(4);
  });

  it('keeps valid fields of a partly invalid file, resets the rest, drops unknown keys', async () => {
    await writeFile(
      file,
      JSON.stringify({
        pollIntervalMs: 5,
        confirmKill: false,
        theme: 'neon',
        watchedPorts: [80, 0, 'x', 80, 443, 70000],
        launchAtLogin: true,
        fromTheFuture: { a: 1 },
      }),
    );
    const store = createSettingsStore(file);
    const { settings, notice } = await store.load();
    expect(settings).toEqual({
      ...defaultSettings,
      confirmKill: false,
      launchAtLogin: true,
      watchedPorts: [80, 443],
    });
    expect(notice).toContain('pollIntervalMs');
    expect(notice).toContain('theme');
    expect(notice).toContain('watchedPorts');
    expect(notice).not.toContain('confirmKill');
    expect(await backups()).toHaveLength(1);
    expect(await onDisk()).toEqual(settings);
    expect('fromTheFuture' in (await onDisk())).toBe(false);
  });

  it('drops unknown keys of an otherwise valid file without a notice', async () => {
    await writeFile(file, JSON.stringify({ theme: 'light', fromTheFuture: 1 }));
    const { settings, notice } = await createSettingsStore(file).load();
    expect(notice).toBeNull();
    expect(settings).toEqual({ ...defaultSettings, theme: 'light' });
    expect('fromTheFuture' in settings).toBe(false);
  });

  it('never throws when the path cannot be read', async () => {
    await writeFile(file, '{}', { mode: 0o000 });
    // root reads a 0000 file anyway; an unreadable parent directory stops everyone but root too,
    // so the case that fails for all is a path through a regular file.
    const through = path.join(file, 'settings.json');
    const { settings, notice } = await createSettingsStore(through).load();
    expect(settings).toEqual(defaultSettings);
    expect(notice).toContain('could not be read (ENOTDIR)');
  });

  it('serializes concurrent updates: none is lost, the last one called wins', async () => {
    const store = createSettingsStore(file);
    await store.load();
    const writes = [
      store.update({ theme: 'dark' }),
      store.update({ watchedPorts: [3000] }),
      store.update({ confirmKill: false }),
      ...Array.from({ length: 20 }, (_, i) => store.update({ pollIntervalMs: 1000 + i })),
    ];
    const results = await Promise.all(writes);
    // Each result reflects every update called before it.
    expect(results[1]).toMatchObject({ theme: 'dark', watchedPorts: [3000] });
    const expected = {
      ...defaultSettings,
      theme: 'dark',
      watchedPorts: [3000],
      confirmKill: false,
      pollIntervalMs: 1019,
    };
    expect(store.get()).toEqual(expected);
    expect(await onDisk()).toEqual(expected);
  });

  it('writes atomically: no temp files remain, and a failed write leaves memory and disk as they were', async () => {
    const store = createSettingsStore(file);
    await store.load();
    await store.update({ theme: 'light' });
    expect(await readdir(dir)).toEqual(['settings.json']);

    // Make the rename fail: the target becomes a non-empty directory.
    await rm(file);
    await mkdir(path.join(file, 'blocker'), { recursive: true });
    await expect(store.update({ theme: 'dark' })).rejects.toThrow();
    expect(store.get().theme).toBe('light');
    expect(await readdir(dir)).toEqual(['settings.json']);
  });

  it('writeFileAtomic creates the directory and replaces content whole', async () => {
    const nested = path.join(dir, 'a', 'b', 'x.json');
    await writeFileAtomic(nested, 'one');
    await writeFileAtomic(nested, 'two');
    expect(await readFile(nested, 'utf8')).toBe('two');
    expect(await readdir(path.dirname(nested))).toEqual(['x.json']);
  });
});

describe('cliConfigDir', () => {
  it('follows XDG on Linux, ignoring a relative XDG_CONFIG_HOME', () => {
    expect(cliConfigDir({ XDG_CONFIG_HOME: '/x/cfg' }, 'linux', '/home/a')).toBe('/x/cfg/portscope');
    expect(cliConfigDir({}, 'linux', '/home/a')).toBe('/home/a/.config/portscope');
    expect(cliConfigDir({ XDG_CONFIG_HOME: 'rel' }, 'linux', '/home/a')).toBe('/home/a/.config/portscope');
  });
  it('uses Application Support on macOS and APPDATA on Windows', () => {
    expect(cliConfigDir({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/portscope');
    expect(cliConfigDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32', 'C:\\Users\\a')).toBe(
      'C:\\Users\\a\\AppData\\Roaming\\portscope',
    );
    expect(cliConfigDir({}, 'win32', 'C:\\Users\\a')).toBe('C:\\Users\\a\\AppData\\Roaming\\portscope');
  });
});
