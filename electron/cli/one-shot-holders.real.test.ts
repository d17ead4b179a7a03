import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFdScan } from '../core/processes/fd-scan-addon';
import { cleanupChildren } from '../core/testing/kill-children';
import { type PreFork, spawnPreFork } from '../core/testing/pre-fork';
import { socketsOf } from '../core/testing/sockets';
import { OneShotHolders, startEarlyScan } from './one-shot-holders';

const why =
  process.platform !== 'linux'
    ? 'not Linux'
    : loadFdScan()?.scanAsync
      ? ''
      : 'out/native/fd_scan.node is not built here (npm run build:native)';

describe.skipIf(why !== '')(`one-shot holders with the early walk${why ? ` (skipped: ${why})` : ''}`, () => {
  let server: PreFork;
  const late: Server[] = [];
  beforeAll(async () => {
    server = await spawnPreFork();
  });
  afterAll(() => {
    for (const s of late) s.close();
    cleanupChildren();
  });

  it('names the master and both forked workers of a shared listener, parent first', async () => {
    const early = startEarlyScan();
    expect(early).not.toBeNull();
    const listener = [...socketsOf(server.pid)].find((i) => server.workers.every((w) => socketsOf(w).has(i)));
    expect(listener).toBeDefined();
    const owners = new OneShotHolders(early);
    const held = await owners.resolve([listener as number]);
    expect(held.get(listener as number)).toEqual([server.pid, ...[...server.workers].sort((a, b) => a - b)]);
    expect(owners.scans).toBe(1); // the early walk placed it: no second walk
  });

  it('walks again for a socket opened after the early walk began, and finds its holder', async () => {
    const early = startEarlyScan();
    await early; // the walk is over before the socket exists
    const before = socketsOf(process.pid);
    const s = createServer().listen(0, '127.0.0.1');
    late.push(s);
    await new Promise((r) => s.once('listening', r));
    const fresh = [...socketsOf(process.pid)].filter((i) => !before.has(i));
    expect(fresh.length).toBeGreaterThanOrEqual(1);
    const owners = new OneShotHolders(early);
    const held = await owners.resolve(fresh);
    for (const inode of fresh) expect(held.get(inode)).toEqual([process.pid]);
    expect(owners.scans).toBe(2); // the early walk, then the full one after the tables were read
  });
});
