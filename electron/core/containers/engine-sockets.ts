import type { ContainerRef } from '../../../shared/model';

/** A unix socket a container engine may answer on. */
export interface EngineSocket {
  path: string;
  engine: ContainerRef['engine'];
}

/**
 * Where Docker and Podman listen, in the order they are tried: `$DOCKER_HOST` (unix:// only; a
 * tcp:// engine is not this machine's), Docker's default, Podman's rootful and rootless sockets.
 * Duplicates are dropped (DOCKER_HOST often names the default).
 */
export function engineSockets(env: NodeJS.ProcessEnv = process.env): EngineSocket[] {
  const out: EngineSocket[] = [];
  const add = (path: string, engine: ContainerRef['engine']) => {
    if (path && !out.some((s) => s.path === path)) out.push({ path, engine });
  };
  const host = env.DOCKER_HOST ?? '';
  if (host.startsWith('unix://')) {
    const path = host.slice('unix://'.length);
    add(path, path.includes('podman') ? 'podman' : 'docker');
  }
  add('/var/run/docker.sock', 'docker');
  add('/run/podman/podman.sock', 'podman');
  if (env.XDG_RUNTIME_DIR) add(`${env.XDG_RUNTIME_DIR}/podman/podman.sock`, 'podman');
  return out;
}
