import type { SocketRow } from '../../../shared/model';
import { lookupService } from '../engine/services';
import type { PublishedPort } from './container-list';

/**
 * A row for a port a container publishes without any host socket (Docker's `userland-proxy:
 * false`, where iptables/nftables forward the port; Podman with pasta in some modes): nothing
 * listens, yet `bind` on that port fails. Owned by the container: no PID, no inode.
 * The same object is reused while nothing about it changes, so a quiet poll diffs nothing.
 */
export function syntheticRow(p: PublishedPort, previous: ReadonlyMap<string, SocketRow>): SocketRow {
  const v6 = p.hostIp.includes(':');
  const address = p.hostIp || (v6 ? '::' : '0.0.0.0');
  const key = `ctr:${p.container.id}:${p.protocol}:${address}:${p.hostPort}`;
  const old = previous.get(key);
  if (old && old.container?.name === p.container.name && old.container?.image === p.container.image)
    return old;
  return {
    key,
    protocol: p.protocol,
    family: v6 ? 6 : 4,
    localAddress: address,
    localPort: p.hostPort,
    remoteAddress: null,
    remotePort: null,
    state: p.protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
    owners: [],
    pid: null,
    process: null,
    service: lookupService(p.hostPort, p.protocol),
    inode: null,
    uid: null,
    user: null,
    device: null,
    v6only: null,
    zone: null,
    holder: 'hidden',
    container: p.container,
  };
}
