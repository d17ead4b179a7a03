import { afterEach, describe, expect, it } from 'vitest';
import { createEngine } from '../core/engine/engine';
import { InodeOwners } from '../core/processes/inode-owners';
import { ProcNetSource } from '../core/sources/proc-net/proc-net-source';
import { closeAll, openTcp, portOf } from '../core/testing/sockets';
import { jsonRow } from './list-format';

/** `list --json` carries the reach and remote-name fields of real rows (scripts filter on them). */

const open: Awaited<ReturnType<typeof openTcp>>[] = [];
afterEach(() => closeAll(open.splice(0)));

describe.runIf(process.platform === 'linux')('JSON rows', () => {
  it('carry exposure for real listeners on 127.0.0.1 and 0.0.0.0', async () => {
    const local = await openTcp('127.0.0.1');
    const wide = await openTcp('0.0.0.0');
    open.push(local, wide);
    const engine = createEngine({ sources: [new ProcNetSource()], holders: new InodeOwners() });
    const { rows } = await engine.collect('listening');
    const json = (port: number) =>
      JSON.parse(JSON.stringify(jsonRow(rows.find((r) => r.localPort === port) as never)));
    expect(json(portOf(local))).toMatchObject({ exposure: 'loopback', remoteName: null });
    expect(json(portOf(wide))).toMatchObject({ exposure: 'network', remoteName: null });
    // The holder is this vitest worker (`node …/node_modules/vitest/…/forks.js`), working in this repository.
    expect(json(portOf(local)).process).toMatchObject({ label: 'vitest', project: { name: 'portscope' } });
  });
});
