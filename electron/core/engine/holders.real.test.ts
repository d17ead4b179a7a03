import { afterEach, describe, expect, it } from 'vitest';
import type { SocketRow } from '../../../shared/model';
import { InodeOwners } from '../processes/inode-owners';
import { ProcNetSource } from '../sources/proc-net/proc-net-source';
import { type PyServer, type ServerMode, startPyServer } from '../testing/py-servers';
import { createEngine } from './engine';

/** Every holder of a socket, from real forked servers, through a long-running engine. */

const linux = process.platform === 'linux';
const started: PyServer[] = [];

async function server(mode: ServerMode): Promise<PyServer> {
  const s = await startPyServer(mode);
  started.push(s);
  return s;
}

afterEach(() => {
  for (const s of started.splice(0)) s.stop();
});

const tcpListener = (rows: SocketRow[], port: number) =>
  rows.filter((r) => r.protocol === 'tcp' && r.localPort === port && r.state === 'LISTEN');

describe.runIf(linux)('holders of a socket (real processes)', () => {
  it('lists the parent of a pre-fork server first, then its workers, on one row', async () => {
    const s = await server('prefork');
    const engine = createEngine({ sources: [new ProcNetSource()], holders: new InodeOwners() });
    const { rows } = await engine.collect('listening');
    const mine = tcpListener(rows, s.port);
    expect(mine).toHaveLength(1);
    expect(mine[0]?.owners.map((o) => o.pid)).toEqual([s.pid, ...[...s.workers].sort((a, b) => a - b)]);
    expect(mine[0]?.pid).toBe(s.pid);
    expect(mine[0]?.holder).toBe('process');
  });

  it('shows the worker, not the parent, within two polls after a hand-off', async () => {
    const s = await server('handoff');
    const engine = createEngine({ sources: [new ProcNetSource()], holders: new InodeOwners() });
    const before = tcpListener((await engine.collect('listening')).rows, s.port);
    expect(before[0]?.owners.map((o) => o.pid)).toEqual([s.pid, s.workers[0]]);
    // A few quiet polls first: the engine is long-running, its map warm.
    for (let i = 0; i < 3; i++) await engine.collect('listening');
    expect(await s.tell('close')).toEqual({ closed: true, pid: s.pid });
    const seen: number[][] = [];
    for (let poll = 0; poll < 2; poll++) {
      const rows = tcpListener((await engine.collect('listening')).rows, s.port);
      seen.push(rows[0]?.owners.map((o) => o.pid) ?? []);
    }
    // Seen on the very first poll: the parent's fd count moved, so it alone was re-read.
    expect(seen).toEqual([[s.workers[0]], [s.workers[0]]]);
    // The parent is alive and still a process, only no longer a holder.
    expect(s.child.exitCode).toBeNull();
  });
});
