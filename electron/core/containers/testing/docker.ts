import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findOnPath } from '../../sources/which';

/**
 * A real Docker engine for the container tests: the one already running (DOCKER_HOST, the default
 * socket; .ci/run starts one), else a private dockerd started here with its own data-root, exec
 * root and socket in a temp dir (`--iptables=false --storage-driver=vfs`: what runs in a sandbox).
 * The image is built locally from busybox-static with an import (no registry pulls).
 */
export interface TestDocker {
  socket: string;
  stop(): Promise<void>;
}

export const TEST_IMAGE = 'portscope-busybox:test';

/** Call the engine API with an optional JSON or raw body; resolves with status and text. */
export function dockerCall(
  socket: string,
  method: string,
  path: string,
  body?: unknown,
  timeoutMs = 60_000,
): Promise<{ status: number; body: string }> {
  const data = body === undefined ? null : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(
      {
        socketPath: socket,
        method,
        path,
        headers: {
          host: 'localhost',
          'content-type': Buffer.isBuffer(body) ? 'application/x-tar' : 'application/json',
          'content-length': String(data?.length ?? 0),
        },
        timeout: timeoutMs,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('docker API timeout')));
    req.on('error', reject);
    req.end(data ?? undefined);
  });
}

async function pings(socket: string): Promise<boolean> {
  try {
    return (await dockerCall(socket, 'GET', '/_ping', undefined, 2000)).status === 200;
  } catch {
    return false;
  }
}

/**
 * Start (or find) a dockerd. `netns`: run it in a private network namespace (a second daemon
 * whose bridge cannot collide with the first); `extra`: more daemon flags. Resolves with the
 * reason it cannot run instead of throwing, so the tests skip with it.
 */
export async function startDocker(
  opts: { reuse?: boolean; extra?: string[]; netns?: boolean } = {},
): Promise<TestDocker | { skip: string }> {
  if (opts.reuse !== false) {
    const host = process.env.DOCKER_HOST?.startsWith('unix://') ? process.env.DOCKER_HOST.slice(7) : null;
    for (const s of [host, '/var/run/docker.sock'])
      if (s && (await pings(s))) return { socket: s, stop: async () => {} };
  }
  const dockerd = findOnPath('dockerd');
  if (!dockerd) return { skip: 'dockerd is not installed (apt-get install docker.io)' };
  if (process.getuid?.() !== 0) return { skip: 'dockerd needs root here' };
  const dir = mkdtempSync(join(tmpdir(), 'ps-dockerd-'));
  const socket = join(dir, 'docker.sock');
  mkdirSync(join(dir, 'data'));
  const args = [
    '--iptables=false',
    '--ip6tables=false',
    '--storage-driver=vfs',
    `--data-root=${join(dir, 'data')}`,
    `--exec-root=${join(dir, 'exec')}`,
    `--pidfile=${join(dir, 'dockerd.pid')}`,
    `--host=unix://${socket}`,
    ...(opts.extra ?? []),
  ];
  const child: ChildProcess = opts.netns
    ? spawn('unshare', ['-n', dockerd, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(dockerd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => {
    log = (log + d.toString()).slice(-4000);
  });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((r) => {
        const t = setTimeout(() => {
          child.kill('SIGKILL');
          r(null);
        }, 15_000);
        child.once('exit', () => {
          clearTimeout(t);
          r(null);
        });
      });
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
  for (let i = 0; i < 120; i++) {
    if (await pings(socket)) return { socket, stop };
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  await stop();
  const last =
    log
      .split('\n')
      .filter((l) => /level=(error|fatal)|failed/i.test(l))
      .at(-1) ?? log.slice(-300);
  return { skip: `dockerd could not start here: ${last.trim() || 'no answer within 30 s'}` };
}

/** The test image from /bin/busybox (busybox-static), imported once per engine. */
export async function ensureImage(socket: string): Promise<string | null> {
  if ((await dockerCall(socket, 'GET', `/images/${TEST_IMAGE}/json`)).status === 200) return null;
  const busybox = findOnPath('busybox');
  if (!busybox) return 'busybox-static is not installed (apt-get install busybox-static)';
  const dir = mkdtempSync(join(tmpdir(), 'ps-img-'));
  try {
    mkdirSync(join(dir, 'bin'));
    await run('cp', [busybox, join(dir, 'bin', 'busybox')]);
    const tar = await run('tar', ['-C', dir, '-c', '.']);
    const [repo, tag] = TEST_IMAGE.split(':') as [string, string];
    const res = await dockerCall(socket, 'POST', `/images/create?fromSrc=-&repo=${repo}&tag=${tag}`, tar);
    return res.status === 200 ? null : `docker import failed: ${res.body.slice(0, 200)}`;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run `busybox httpd` in a container publishing <hostIp>:<port> → 80; resolves with the full id. */
export async function runHttpd(
  socket: string,
  name: string,
  port: number,
  hostIp = '127.0.0.1',
): Promise<string> {
  const create = await dockerCall(socket, 'POST', `/containers/create?name=${name}`, {
    Image: TEST_IMAGE,
    Cmd: ['/bin/busybox', 'httpd', '-f', '-p', '80'],
    ExposedPorts: { '80/tcp': {} },
    // httpd as PID 1 ignores SIGTERM: the engine would wait its 10 s before SIGKILL on every stop.
    StopSignal: 'SIGKILL',
    Labels: { 'com.docker.compose.project': 'pstest', 'com.docker.compose.service': 'web' },
    HostConfig: { PortBindings: { '80/tcp': [{ HostIp: hostIp, HostPort: String(port) }] } },
  });
  if (create.status !== 201) throw new Error(`create failed: ${create.body}`);
  const id = (JSON.parse(create.body) as { Id: string }).Id;
  const start = await dockerCall(socket, 'POST', `/containers/${id}/start`);
  if (start.status !== 204) throw new Error(`start failed: ${start.body}`);
  return id;
}

/** Remove a container whatever its state (cleanup). */
export async function removeContainer(socket: string, id: string): Promise<void> {
  await dockerCall(socket, 'DELETE', `/containers/${id}?force=true`).catch(() => undefined);
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** `ss -ltnH sport = :port`: whether the kernel shows a TCP listener on the port (the oracle). */
export async function ssListening(port: number): Promise<boolean> {
  const out = (await run('ss', ['-ltnH', `sport = :${port}`])).toString();
  return out.trim().length > 0;
}

function run(file: string, args: string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(err) : resolve(stdout),
    );
  });
}
