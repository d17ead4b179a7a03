import type { ContainerRef, Protocol } from '../../../shared/model';

/** A port a running container publishes on the host. */
export interface PublishedPort {
  container: ContainerRef;
  protocol: Protocol;
  /** Host address ('0.0.0.0', '::', '127.0.0.1'); '' when the engine does not say. */
  hostIp: string;
  hostPort: number;
}

/** One running container with its full id (the short id is in `ref`). */
export interface EngineContainer {
  fullId: string;
  ref: ContainerRef;
  ports: PublishedPort[];
}

const FULL_ID = /^[0-9a-f]{64}$/;

/**
 * Parse `GET /containers/json` (Docker and Podman's compat API give the same shape). Every field
 * is checked: the engine is another program and its answer is input. Containers without a valid
 * id are dropped; ports without a host port are not published.
 */
export function parseContainerList(body: string, engine: ContainerRef['engine']): EngineContainer[] {
  let raw: unknown;
  try {
    raw = JSON.parse(body);
  } catch {
    return [];
  }
  if (!Array.isArray(raw)) return [];
  const out: EngineContainer[] = [];
  for (const c of raw as Record<string, unknown>[]) {
    const fullId = typeof c?.Id === 'string' ? c.Id : '';
    if (!FULL_ID.test(fullId)) continue;
    const labels = (c.Labels && typeof c.Labels === 'object' ? c.Labels : {}) as Record<string, unknown>;
    const names = Array.isArray(c.Names) ? c.Names : [];
    const name = typeof names[0] === 'string' ? names[0].replace(/^\//, '') : fullId.slice(0, 12);
    const ref: ContainerRef = {
      id: fullId.slice(0, 12),
      name,
      image: typeof c.Image === 'string' ? c.Image : '',
      engine,
      composeProject: str(labels['com.docker.compose.project']),
      composeService: str(labels['com.docker.compose.service']),
    };
    const ports: PublishedPort[] = [];
    for (const p of Array.isArray(c.Ports) ? (c.Ports as Record<string, unknown>[]) : []) {
      const hostPort = p?.PublicPort;
      const type = p?.Type;
      if (typeof hostPort !== 'number' || !Number.isInteger(hostPort) || hostPort < 1 || hostPort > 65535)
        continue;
      if (type !== 'tcp' && type !== 'udp') continue;
      const priv = typeof p.PrivatePort === 'number' ? p.PrivatePort : null;
      ports.push({
        container: { ...ref, containerPort: priv === null ? null : `${priv}/${type}` },
        protocol: type,
        hostIp: typeof p.IP === 'string' ? p.IP : '',
        hostPort,
      });
    }
    out.push({ fullId, ref, ports });
  }
  return out;
}

function str(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}
