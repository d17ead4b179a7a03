import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Snapshot } from '../../shared/model';
import { createPortscope, type Portscope } from './portscope';
import { closeAll, openTcp, portOf } from './testing/sockets';

/** The composition root as the apps use it: real engine, real settings file, real sockets. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function build(notes: string[]): Promise<Portscope> {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-root-'));
  const portscope = await createPortscope({
    settingsFile: join(dir, 'settings.json'),
    intervalMs: 200,
    protectedPids: () => [process.pid],
    watch: { notify: (message) => notes.push(message) },
  });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => portscope.stop());
  return portscope;
}

/** A port nothing listens on now (bound, then closed). */
async function freePort(): Promise<number> {
  const probe = await openTcp('127.0.0.1');
  const port = portOf(probe);
  await closeAll([probe]);
  return port;
}

const shows = (s: Snapshot, port: number) => s.rows.some((r) => r.localPort === port && r.state === 'LISTEN');

describe('createPortscope', () => {
  it('watchers take the first poll as their baseline: an already open watched port is not "opened"', async () => {
    const already: Server = await openTcp('127.0.0.1');
    cleanups.push(() => closeAll([already]).catch(() => {}));
    const later = await freePort();
    const notes: string[] = [];
    // Production order: build, settings, a window's client, start, first poll.
    const portscope = await build(notes);
    await portscope.settings?.update({ notifications: true, watchedPorts: [portOf(already), later] });
    const window = portscope.core.connect(() => {});
    cleanups.push(() => window.close());
    portscope.start();
    const first = await portscope.monitor.ready();
    expect(shows(first, portOf(already))).toBe(true);
    // A second poll too: whatever the first delivery was, no poll may call the open port news.
    await portscope.monitor.pollNow();
    expect(notes).toEqual([]);

    const opened = await listenOn(later);
    const afterOpen = await portscope.monitor.pollNow();
    expect(shows(afterOpen, later)).toBe(true);
    expect(notes).toEqual([`Port ${later} opened by node`]);
    await closeAll([opened]);
    await portscope.monitor.pollNow();
    expect(notes).toEqual([`Port ${later} opened by node`, `Port ${later} closed`]);
  });

  it('states the capabilities it was given, and settings from whether a file exists', async () => {
    const portscope = await build([]);
    const client = portscope.core.connect(() => {});
    cleanups.push(() => client.close());
    expect(await client.invoke('host:capabilities', {})).toEqual({
      host: 'browser',
      openUrl: false,
      elevate: false,
      tray: false,
      notifications: false,
      settings: true,
      // Linux with the addon built: SOCK_DESTROY is there.
      closeConnection: true,
      closeConnectionReason: null,
    });
  });
});

async function listenOn(port: number): Promise<Server> {
  const s = createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve());
  });
  return s;
}
