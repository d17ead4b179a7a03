import { afterEach, describe, expect, it } from 'vitest';
import type { Delta } from '../../shared/model';
import { decodePush, decodeResult, encodePush, encodeResult } from '../../shared/wire';
import { createEngine } from '../core/engine/engine';
import { type PyServer, startPyServer } from '../core/testing/py-servers';

/**
 * The packed wire form (shared/wire.ts) on the machine's real rows: a pre-fork server whose socket
 * has three holders, every other socket of this machine, through JSON as the WebSocket sends it.
 */

const started: PyServer[] = [];
afterEach(() => {
  for (const s of started.splice(0)) s.stop();
});

/** What the transport does: encode, JSON over the socket, decode. */
const overTheWire = (encoded: unknown) => JSON.parse(JSON.stringify(encoded));

describe.runIf(process.platform === 'linux')('rows on the wire', () => {
  it('a snapshot comes back equal, with each process sent once', async () => {
    const s = await startPyServer('prefork');
    started.push(s);
    const { rows } = await createEngine().collect('all');
    const mine = rows.find((r) => r.localPort === s.port && r.state === 'LISTEN');
    expect(mine?.owners.length).toBeGreaterThanOrEqual(3);
    const snapshot = { seq: 4, takenAt: 1, scope: 'all' as const, rows, errors: [] };

    const packed = overTheWire(encodeResult('snapshot:get', snapshot));
    expect(decodeResult('snapshot:get', packed)).toEqual(snapshot);

    const processes = new Set(rows.flatMap((r) => r.owners.map((o) => `${o.pid}|${o.process?.startId}`)));
    expect(packed.procs).toHaveLength([...processes].filter((p) => !p.endsWith('|undefined')).length);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(snapshot).length);
  });

  it('a delta comes back equal, and other channels pass through untouched', async () => {
    const { rows } = await createEngine().collect('listening');
    const delta: Delta = {
      seq: 9,
      takenAt: 2,
      added: rows.slice(0, 3),
      removed: ['tcp:c1'],
      changed: rows.slice(3),
    };
    expect(decodePush('delta', overTheWire(encodePush('delta', delta)))).toEqual(delta);
    const status = { state: 'polling', scope: 'all' };
    expect(encodePush('status', status)).toBe(status);
    expect(encodeResult('monitor:status', status)).toBe(status);
  });
});
