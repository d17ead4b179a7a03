import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SocketRow } from '../../../shared/model';
import { holderText } from '../../../shared/socket-rules';
import { createEngine } from '../engine/engine';
import { createKiller } from '../kill';
import { createBehindActions } from './behind-actions';
import { ContainerEngines } from './container-engines';
import { BehindJoin } from './join-behind';
import {
  ensureImage,
  freePort,
  removeContainer,
  runHttpd,
  ssListening,
  startDocker,
  type TestDocker,
} from './testing/docker';

/**
 * Real dockerd, real containers (busybox httpd from a locally imported busybox-static image),
 * checked against `ss`. Skipped with the reason where dockerd cannot run.
 */
let docker: TestDocker | null = null;
let skip = '';
const made: string[] = [];

beforeAll(async () => {
  const d = await startDocker();
  if ('skip' in d) {
    skip = d.skip;
    return;
  }
  docker = d;
  skip = (await ensureImage(d.socket)) ?? '';
}, 120_000);

afterAll(async () => {
  for (const id of made) if (docker) await removeContainer(docker.socket, id);
  await docker?.stop();
}, 60_000);

function setup() {
  const socket = (docker as TestDocker).socket;
  const engines = () => new ContainerEngines({ sockets: [{ path: socket, engine: 'docker' }] });
  const engine = createEngine({ behind: new BehindJoin(engines()) });
  const collect = async () => (await engine.collect('listening')).rows;
  return { socket, engine, collect, actions: createBehindActions({ collect, engines: engines() }) };
}

const onPort = (rows: SocketRow[], port: number) =>
  rows.filter((r) => r.localPort === port && r.state === 'LISTEN');

describe('containers behind a port (real dockerd)', () => {
  it('the row of a published port names its container; Stop container frees the port (ss agrees)', async (ctx) => {
    if (skip || !docker) {
      console.log(`skipped: ${skip}`);
      ctx.skip();
    }
    const { socket, collect, actions } = setup();
    const port = await freePort();
    const id = await runHttpd(socket, `ps-web-${port}`, port);
    made.push(id);
    expect(await ssListening(port)).toBe(true);

    const rows = onPort(await collect(), port);
    expect(rows.length).toBeGreaterThan(0);
    const row = rows[0] as SocketRow;
    expect(row.process?.name).toBe('docker-proxy');
    expect(row.container).toMatchObject({
      id: id.slice(0, 12),
      name: `ps-web-${port}`,
      image: 'portscope-busybox:test',
      engine: 'docker',
      composeProject: 'pstest',
      composeService: 'web',
      containerPort: '80/tcp',
    });

    // kill <port> plans no signal: the plan names the container and says to stop it.
    const killer = createKiller({ collectListening: collect });
    const plan = await killer.planFreePort(port, null, rows);
    expect(plan.container?.id).toBe(id.slice(0, 12));
    expect(plan.refused).toMatch(/published by container ps-web-\d+ \(portscope-busybox:test/);

    // A container that does not publish this port is not stopped.
    const wrong = await actions.container({
      id: id.slice(0, 12),
      action: 'stop',
      port: port + 1 > 65535 ? 1 : port + 1,
      protocol: 'tcp',
    });
    expect(wrong.outcome).toBe('changed');
    expect(await ssListening(port)).toBe(true);

    const res = await actions.container({ id: id.slice(0, 12), action: 'stop', port, protocol: 'tcp' });
    expect(res.outcome).toBe('stopped');
    expect(res.portFree).toBe(true);
    expect(await ssListening(port)).toBe(false);
  }, 90_000);

  it('killing docker-proxy directly is refused with the reason, and it keeps running', async (ctx) => {
    if (skip || !docker) {
      console.log(`skipped: ${skip}`);
      ctx.skip();
    }
    const { socket, collect } = setup();
    const port = await freePort();
    made.push(await runHttpd(socket, `ps-proxy-${port}`, port));
    const row = onPort(await collect(), port)[0] as SocketRow;
    const pid = row.pid as number;
    const killer = createKiller({ collectListening: collect });
    const target = { pid, startId: row.process?.startId as string };
    const plan = await killer.plan(target, false, [row]);
    expect(plan.refused).toMatch(
      /docker-proxy only forwards a container's published port.*Stop the container/,
    );
    const res = await killer.kill({ target, force: true, tree: false, elevate: false });
    expect(res.outcome).toBe('refused');
    expect(res.signals).toEqual([]);
    expect(await ssListening(port)).toBe(true);
  }, 90_000);
});

describe('userland-proxy false (a second dockerd in its own network namespace)', () => {
  let second: TestDocker | null = null;
  let why = '';
  beforeAll(async () => {
    if (skip) {
      why = skip;
      return;
    }
    const d = await startDocker({ reuse: false, netns: true, extra: ['--userland-proxy=false'] });
    if ('skip' in d) why = d.skip;
    else {
      second = d;
      why = (await ensureImage(d.socket)) ?? '';
    }
  }, 120_000);
  afterAll(async () => {
    await second?.stop();
  }, 60_000);

  it('a published port with no host socket still appears, owned by the container', async (ctx) => {
    if (why || !second) {
      console.log(`skipped: ${why}`);
      ctx.skip();
    }
    const socket = (second as TestDocker).socket;
    const port = await freePort();
    // 0.0.0.0: the namespace's loopback is down, and the engine reports the wildcard either way.
    const id = await runHttpd(socket, `ps-noproxy-${port}`, port, '0.0.0.0');
    try {
      // The kernel (this namespace) has no listener on the port: only the engine knows it is taken.
      expect(await ssListening(port)).toBe(false);
      const engine = createEngine({
        behind: new BehindJoin(new ContainerEngines({ sockets: [{ path: socket, engine: 'docker' }] })),
      });
      const rows = onPort((await engine.collect('listening')).rows, port);
      expect(rows).toHaveLength(1);
      const row = rows[0] as SocketRow;
      expect(row.owners).toEqual([]);
      expect(row.container?.name).toBe(`ps-noproxy-${port}`);
      expect(holderText(row)).toBe(
        `container ps-noproxy-${port} (portscope-busybox:test, compose pstest/web)`,
      );
      // The same object next poll: a quiet machine pushes nothing.
      const again = onPort((await engine.collect('listening')).rows, port)[0];
      expect(again).toBe(row);
    } finally {
      await removeContainer(socket, id);
    }
  }, 90_000);
});

describe('a running engine costs nothing while no container changes (real dockerd)', () => {
  it('a polling process follows the engine’s events: no list request while idle, one right after a container starts', async (ctx) => {
    if (skip || !docker) {
      console.log(`skipped: ${skip}`);
      ctx.skip();
    }
    const socket = (docker as TestDocker).socket;
    let t = 1_000_000;
    const engines = new ContainerEngines({ sockets: [{ path: socket, engine: 'docker' }], now: () => t });
    const settle = async (done: () => boolean | Promise<boolean>, what: string) => {
      for (let i = 0; i < 100; i++) {
        if (await done()) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`never: ${what}`);
    };
    try {
      await engines.list();
      // One list is a one-shot command (`portscope who`): it opens no stream.
      expect(engines.watchesOpened).toBe(0);
      t += 3000;
      await engines.list();
      await settle(() => engines.watchesOpened === 1, 'the event stream opened');
      // Opening the stream makes the list stale once (a change made before it opened is read).
      t += 1;
      await engines.list();
      const asked = engines.attempts;
      // 30 s of 1 s polls, far past the 2 s the list lives without events: nothing asked.
      for (let i = 0; i < 30; i++) {
        t += 1000;
        await engines.list();
      }
      expect(engines.attempts).toBe(asked);

      // A container starts: its event makes the next poll ask, and the list has it.
      const port = await freePort();
      const id = await runHttpd(socket, `ps-events-${port}`, port);
      made.push(id);
      await settle(async () => {
        t += 1;
        return (await engines.list()).containers.some((c) => c.fullId === id);
      }, 'the started container listed');
      expect(engines.attempts).toBeGreaterThan(asked);

      // Without the stream the 2 s list is back.
      engines.close();
      const before = engines.attempts;
      t += 3000;
      await engines.list();
      expect(engines.attempts).toBe(before + 1);
    } finally {
      engines.close();
    }
  }, 60_000);
});
