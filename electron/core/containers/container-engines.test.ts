import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ContainerEngines } from './container-engines';
import { parseContainerList } from './container-list';
import { engineSockets } from './engine-sockets';

const dir = mkdtempSync(join(tmpdir(), 'ps-engines-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ContainerEngines with no engine running', () => {
  it('a socket file that does not exist costs a stat, no connect', async () => {
    const engines = new ContainerEngines({ sockets: [{ path: join(dir, 'absent.sock'), engine: 'docker' }] });
    expect(await engines.list()).toMatchObject({ containers: [], socket: null, note: null });
    expect(engines.attempts).toBe(0);
  });

  it('a socket nobody answers on: one failed connect, cached for the poll, then a doubling backoff', async () => {
    let now = 0;
    // A real unix socket file nobody listens on (what a stopped daemon leaves): ECONNREFUSED.
    const stale = join(dir, 'stale.sock');
    execFileSync('python3', [
      '-c',
      'import socket,sys; socket.socket(socket.AF_UNIX).bind(sys.argv[1])',
      stale,
    ]);
    const engines = new ContainerEngines({
      sockets: [{ path: stale, engine: 'docker' }],
      now: () => now,
    });
    const first = await engines.list();
    expect(first).toMatchObject({ containers: [], socket: null, note: null });
    expect(engines.attempts).toBe(1);
    await engines.list(true); // the same poll, and a "fresh" ask: still cached while backing off
    now = 4999;
    await engines.list();
    expect(engines.attempts).toBe(1);
    now = 5000;
    await engines.list();
    expect(engines.attempts).toBe(2);
    now = 5000 + 9999; // second wait is 10 s
    await engines.list();
    expect(engines.attempts).toBe(2);
    now = 15_000;
    await engines.list();
    expect(engines.attempts).toBe(3);
  });

  it('permission denied is a quiet note naming the socket and what to do', async () => {
    const denied = Object.assign(new Error('connect EACCES'), { code: 'EACCES' });
    const engines = new ContainerEngines({
      sockets: [{ path: '/var/run/docker.sock', engine: 'docker' }],
      request: async () => {
        throw denied;
      },
    });
    const state = await engines.list();
    expect(state.note).toMatchObject({
      source: 'containers',
      kind: 'permission',
      tool: '/var/run/docker.sock',
    });
    expect(state.note?.hint).toMatch(/docker group/);
  });

  it('measured: a failed connect costs well under a poll (printed, not asserted as a time)', async () => {
    const engines = new ContainerEngines({
      sockets: engineSockets({}).map((s) => ({ ...s, path: join(dir, 'x.sock') })),
    });
    const t0 = performance.now();
    await engines.list();
    console.log(
      `no engine: ${engines.attempts} failed connect(s) in ${(performance.now() - t0).toFixed(2)} ms`,
    );
  });
});

describe('engine sockets and the container list', () => {
  it('DOCKER_HOST unix sockets first, tcp ignored, Podman rootful and rootless', () => {
    expect(
      engineSockets({ DOCKER_HOST: 'unix:///run/user/1000/docker.sock', XDG_RUNTIME_DIR: '/run/user/1000' }),
    ).toEqual([
      { path: '/run/user/1000/docker.sock', engine: 'docker' },
      { path: '/var/run/docker.sock', engine: 'docker' },
      { path: '/run/podman/podman.sock', engine: 'podman' },
      { path: '/run/user/1000/podman/podman.sock', engine: 'podman' },
    ]);
    expect(engineSockets({ DOCKER_HOST: 'tcp://10.0.0.1:2375' }).map((s) => s.path)).toEqual([
      '/var/run/docker.sock',
      '/run/podman/podman.sock',
    ]);
  });

  it('parses published ports with compose labels; bad entries are dropped', () => {
    const id = 'b'.repeat(64);
    const body = JSON.stringify([
      {
        Id: id,
        Names: ['/app-web-1'],
        Image: 'nginx:1.27',
        Labels: { 'com.docker.compose.project': 'app', 'com.docker.compose.service': 'web' },
        Ports: [
          { IP: '0.0.0.0', PrivatePort: 80, PublicPort: 8080, Type: 'tcp' },
          { PrivatePort: 443, Type: 'tcp' },
          { IP: '::', PrivatePort: 53, PublicPort: 99999, Type: 'udp' },
        ],
      },
      { Id: 'not-an-id', Ports: [] },
    ]);
    const list = parseContainerList(body, 'docker');
    expect(list).toHaveLength(1);
    expect(list[0]?.ports).toEqual([
      {
        protocol: 'tcp',
        hostIp: '0.0.0.0',
        hostPort: 8080,
        container: {
          id: 'b'.repeat(12),
          name: 'app-web-1',
          image: 'nginx:1.27',
          engine: 'docker',
          composeProject: 'app',
          composeService: 'web',
          containerPort: '80/tcp',
        },
      },
    ]);
    expect(parseContainerList('not json', 'docker')).toEqual([]);
  });
});

describe('ContainerEngines following an engine’s events (the policy; the real stream: containers.real.test.ts)', () => {
  function engineWithStream() {
    let now = 0;
    const streams: { onEvent: () => void; onClose: () => void; closed: boolean }[] = [];
    const engines = new ContainerEngines({
      sockets: [{ path: '/run/test-engine.sock', engine: 'docker' }],
      now: () => now,
      request: async () => ({ status: 200, body: '[]' }),
      events: async (_path, onEvent, onClose) => {
        const s = { onEvent, onClose, closed: false };
        streams.push(s);
        return () => {
          s.closed = true;
          onClose();
        };
      },
    });
    const tick = () => new Promise((r) => setTimeout(r, 0));
    /** Two lists 2 s apart (what a polling monitor does): the second opens the stream. */
    const following = async () => {
      await engines.list();
      now += 2000;
      await engines.list();
      await tick();
      expect(streams).toHaveLength(1);
    };
    return { engines, streams, tick, following, advance: (ms: number) => (now += ms) };
  }

  it('opens one stream at the second list, then asks only after an event or 60 s', async () => {
    const { engines, streams, tick, advance } = engineWithStream();
    await engines.list();
    await tick();
    expect(streams).toHaveLength(0); // a one-shot command lists once and opens nothing
    advance(2000);
    await engines.list();
    await tick();
    expect(streams).toHaveLength(1);
    expect(engines.attempts).toBe(2);
    for (let i = 0; i < 50; i++) {
      advance(1000);
      await engines.list();
    }
    expect(engines.attempts).toBe(2);
    streams[0]?.onEvent();
    await engines.list();
    expect(engines.attempts).toBe(3);
    advance(60_000);
    await engines.list();
    expect(engines.attempts).toBe(4); // the safety net
    expect(streams).toHaveLength(1);
  });

  it('a stream that ends brings the 2 s list back (and a read at once), and is opened again after 30 s', async () => {
    const { engines, streams, tick, following, advance } = engineWithStream();
    await following();
    const asked = engines.attempts;
    streams[0]?.onClose(); // the engine restarted
    await engines.list();
    expect(engines.attempts).toBe(asked + 1);
    advance(1000);
    await engines.list();
    expect(engines.attempts).toBe(asked + 1);
    advance(1000);
    await engines.list();
    expect(engines.attempts).toBe(asked + 2);
    await tick();
    expect(streams).toHaveLength(1); // not before 30 s
    advance(30_000);
    await engines.list();
    await tick();
    expect(streams).toHaveLength(2);
  });

  it('close() ends the stream; an injected request without an events function never follows', async () => {
    const { engines, streams, tick, following } = engineWithStream();
    await following();
    engines.close();
    expect(streams[0]?.closed).toBe(true);
    const plain = new ContainerEngines({
      request: async () => ({ status: 200, body: '[]' }),
      sockets: [{ path: '/x', engine: 'docker' }],
    });
    await plain.list(true);
    await plain.list(true);
    await tick();
    expect(plain.watchesOpened).toBe(0);
  });
});
