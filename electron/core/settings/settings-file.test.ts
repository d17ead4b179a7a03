import { execFileSync } from 'node:child_process';
import { closeSync, constants, openSync } from 'node:fs';
import {
  lstat,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  readlink,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultSettings } from '../../../shared/settings';
import { createSettingsStore } from './settings';

/**
 * What sits at the settings path is not trusted: a FIFO (hangs a plain read), a symlink to
 * /dev/zero (reads forever), a directory or a huge file are refused unread, reported like a corrupt
 * file, and moved aside; the copy of a corrupt file is 0600 and never written through a link.
 * Each case has a bounded timeout: before this change the FIFO hung and /dev/zero ran for seconds.
 */

let dir: string;
let file: string;
const NOW = new Date('2026-12-01T12:00:00.000Z');
const STAMP = '2026-12-01T12-00-00-000Z';

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'portscope-settings-file-'));
  file = path.join(dir, 'settings.json');
});
afterEach(async () => {
  // A reader stuck in open() on a FIFO (the old code) is released by a writer opening it.
  for (const name of await readdir(dir)) {
    const p = path.join(dir, name);
    if ((await lstat(p)).isFIFO()) {
      try {
        closeSync(openSync(p, constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // ENXIO: nobody reading, nothing to release.
      }
    }
  }
  await rm(dir, { recursive: true, force: true });
});

const load = () => createSettingsStore(file, { now: () => NOW }).load();

/** The refused thing was moved aside whole, defaults were written in its place, the user was told. */
async function expectRefused(notice: string | null, what: RegExp) {
  expect(notice).toMatch(what);
  expect(notice).toContain('defaults are in use');
  const aside = `${file}.corrupt-${STAMP}`;
  expect(notice).toContain(aside);
  expect((await lstat(file)).isFile()).toBe(true);
  expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(defaultSettings);
  return aside;
}

describe('settings file: only a small regular file is read', () => {
  it('refuses a FIFO without blocking', { timeout: 2_000 }, async () => {
    execFileSync('mkfifo', [file]);
    const { settings, notice } = await load();
    expect(settings).toEqual(defaultSettings);
    const aside = await expectRefused(notice, /FIFO/);
    expect((await lstat(aside)).isFIFO()).toBe(true);
  });

  it('refuses a symlink to /dev/zero without reading it', { timeout: 2_000 }, async () => {
    await symlink('/dev/zero', file);
    const { settings, notice } = await load();
    expect(settings).toEqual(defaultSettings);
    const aside = await expectRefused(notice, /symbolic link/);
    expect(await readlink(aside)).toBe('/dev/zero');
  });

  it('refuses a 2 MiB file unparsed and keeps it whole', { timeout: 2_000 }, async () => {
    const big = `{"theme":"dark","pad":"${'x'.repeat(2 * 1024 * 1024)}"}`;
    await writeFile(file, big);
    const { settings, notice } = await load();
    expect(settings).toEqual(defaultSettings);
    const aside = await expectRefused(notice, /larger than 1048576 bytes/);
    expect((await stat(aside)).size).toBe(big.length);
  });

  it('refuses a directory', { timeout: 2_000 }, async () => {
    await mkdir(file);
    await writeFile(path.join(file, 'inside'), 'kept');
    const { settings, notice } = await load();
    expect(settings).toEqual(defaultSettings);
    const aside = await expectRefused(notice, /directory/);
    expect(await readFile(path.join(aside, 'inside'), 'utf8')).toBe('kept');
  });

  it('never copies what a symlinked settings file points to', async () => {
    // The old code followed the link and copied the target (readable by the world if it was).
    const secret = path.join(dir, 'secret');
    await writeFile(secret, 'not json: the secret', { mode: 0o644 });
    await symlink(secret, file);
    const { notice } = await load();
    expect(notice).toMatch(/symbolic link/);
    for (const name of await readdir(dir)) {
      const p = path.join(dir, name);
      if (p === secret || !(await lstat(p)).isFile()) continue;
      expect(await readFile(p, 'utf8'), name).not.toContain('the secret');
    }
  });
});

describe('settings file: the corrupt-file copy', () => {
  it('is written 0600 even when the original was world-readable', async () => {
    await writeFile(file, 'not json', { mode: 0o644 });
    const { notice } = await load();
    const copy = `${file}.corrupt-${STAMP}`;
    expect(notice).toContain(copy);
    expect((await stat(copy)).mode & 0o777).toBe(0o600);
    expect(await readFile(copy, 'utf8')).toBe('not json');
  });

  it('never writes through a symlink planted at the copy’s name', async () => {
    const victim = path.join(dir, 'victim');
    await writeFile(victim, 'untouched');
    await symlink(victim, `${file}.corrupt-${STAMP}`);
    await writeFile(file, 'not json');
    const { notice } = await load();
    expect(await readFile(victim, 'utf8')).toBe('untouched');
    expect((await lstat(`${file}.corrupt-${STAMP}`)).isSymbolicLink()).toBe(true);
    const copy = `${file}.corrupt-${STAMP}-1`;
    expect(notice).toContain(copy);
    expect((await lstat(copy)).isFile()).toBe(true);
    expect((await stat(copy)).mode & 0o777).toBe(0o600);
  });
});
