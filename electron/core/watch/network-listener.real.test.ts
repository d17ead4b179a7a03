import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createPortscope, type Portscope } from '../portscope';
import { closeAll, openTcp, openUdp, portOf } from '../testing/sockets';

/** The opt-in "reachable from the network" notification, on real sockets through the composition root. */

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function build(notes: string[], on: boolean): Promise<Portscope> {
  const dir = mkdtempSync(join(tmpdir(), 'portscope-reach-'));
  const portscope = await createPortscope({
    settingsFile: join(dir, 'settings.json'),
    intervalMs: 200,
    protectedPids: () => [process.pid],
    watch: { notify: (message) => notes.push(message) },
  });
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => portscope.stop());
  if (on) await portscope.settings?.update({ notifyNetworkListeners: true });
  portscope.start();
  await portscope.monitor.ready();
  return portscope;
}

const mine = (notes: string[], ports: number[]) =>
  notes.filter((n) => ports.some((p) => n.startsWith(`Port ${p} `)));

describe.runIf(process.platform === 'linux')('new listener beyond loopback', () => {
  it('starts from a baseline, then names only new network listeners, once per port', async () => {
    const already = await openTcp('0.0.0.0');
    cleanups.push(() => closeAll([already]).catch(() => {}));
    const notes: string[] = [];
    const portscope = await build(notes, true);
    await portscope.monitor.pollNow();
    expect(mine(notes, [portOf(already)])).toEqual([]);

    const local = await openTcp('127.0.0.1');
    const wide = await openTcp('0.0.0.0');
    const udp = await openUdp('udp4', '0.0.0.0');
    cleanups.push(() => closeAll([local, wide, udp]).catch(() => {}));
    await portscope.monitor.pollNow();
    await portscope.monitor.pollNow();
    const ports = [portOf(already), portOf(local), portOf(wide), portOf(udp)];
    expect(mine(notes, ports).sort()).toEqual(
      [
        `Port ${portOf(wide)} is reachable from the network (0.0.0.0): vitest · portscope`,
        `Port ${portOf(udp)} (UDP) is reachable from the network (0.0.0.0): vitest · portscope`,
      ].sort(),
    );
  });

  it('is off by default', async () => {
    const notes: string[] = [];
    const portscope = await build(notes, false);
    const wide = await openTcp('0.0.0.0');
    cleanups.push(() => closeAll([wide]).catch(() => {}));
    await portscope.monitor.pollNow();
    expect(portscope.loaded.settings.notifyNetworkListeners).toBe(false);
    expect(mine(notes, [portOf(wide)])).toEqual([]);
  });
});
