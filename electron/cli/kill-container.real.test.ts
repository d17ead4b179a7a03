import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ContainerEngines } from '../core/containers/container-engines';
import { BehindJoin } from '../core/containers/join-behind';
import {
  dockerCall,
  ensureImage,
  freePort,
  removeContainer,
  runHttpd,
  startDocker,
  type TestDocker,
} from '../core/containers/testing/docker';
import { createEngine } from '../core/engine/engine';
import { type KillIo, runKill } from './kill-command';

/**
 * `portscope kill <port>` on a container's port, in-process, against a real dockerd of its own
 * (in a private network namespace, so it never collides with another test's daemon: the port is
 * then one with no host socket here, which the CLI must still see and free by stopping it).
 */
let docker: TestDocker | null = null;
let skip = '';
beforeAll(async () => {
  const d = await startDocker({ reuse: false, netns: true });
  if ('skip' in d) skip = d.skip;
  else {
    docker = d;
    skip = (await ensureImage(d.socket)) ?? '';
  }
}, 120_000);
afterAll(async () => {
  await docker?.stop();
}, 60_000);

describe('portscope kill <port> on a container-published port', () => {
  it('--dry-run names the container; without --yes on a pipe it refuses; --yes stops it, exit 0', async (ctx) => {
    if (skip || !docker) {
      console.log(`skipped: ${skip}`);
      return ctx.skip();
    }
    const socket = docker.socket;
    const port = await freePort();
    const id = await runHttpd(socket, `ps-cli-${port}`, port, '0.0.0.0');
    const before = process.env.DOCKER_HOST;
    process.env.DOCKER_HOST = `unix://${socket}`; // the CLI's own stop action finds this daemon
    try {
      const engine = createEngine({
        behind: new BehindJoin(new ContainerEngines({ sockets: [{ path: socket, engine: 'docker' }] })),
      });
      let out = '';
      const write = (t: string) => {
        out += t;
        return true;
      };
      const io = {
        stdout: { write },
        stderr: { write },
        stdin: Object.assign(new PassThrough(), { isTTY: false }),
        collect: (scope: 'listening' | 'all') => engine.collect(scope),
      } as unknown as KillIo;

      expect(await runKill([String(port), '--dry-run'], io)).toBe(0);
      expect(out).toContain(
        `published by container ps-cli-${port} (portscope-busybox:test, compose pstest/web)`,
      );
      expect(out).toMatch(/Would stop the container/);
      out = '';
      expect(await runKill([String(port)], io)).toBe(2);
      const running = async () =>
        (
          JSON.parse((await dockerCall(socket, 'GET', `/containers/${id}/json`)).body) as {
            State: { Running: boolean };
          }
        ).State.Running;
      expect(await running()).toBe(true);

      out = '';
      expect(await runKill([String(port), '--yes'], io), out).toBe(0);
      expect(out).toMatch(new RegExp(`Stopped container ps-cli-${port}.*port ${port} is free`));
      expect(await running()).toBe(false);
    } finally {
      if (before === undefined) delete process.env.DOCKER_HOST;
      else process.env.DOCKER_HOST = before;
      await removeContainer(socket, id);
    }
  }, 120_000);
});
