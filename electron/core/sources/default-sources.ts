import { accessSync, constants } from 'node:fs';
import { ProcPidReader } from '../processes/proc-pid-info';
import type { ProcessReader } from '../processes/process-cache';
import { SiProcessReader } from '../processes/si-process-reader';
import { NetlinkSource } from './netlink/netlink-source';
import { ProcNetSource } from './proc-net/proc-net-source';
import { SiSource } from './si/si-source';
import { SsUdpSource } from './si/ss-udp-source';
import type { Source } from './types';

function readable(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The sources for this platform. Linux: netlink sock_diag when the native addon loads and the
 * kernel answers (the kernel filters by state, and gives cookie, device, zone and v6only); else
 * /proc/net (complete, incl. unconnected UDP, and faster than spawning ss); when /proc/net cannot
 * be read, systeminformation plus `ss -uanp` for the UDP sockets si drops. Everywhere else:
 * systeminformation. `netlink: false` skips the addon (tests, and the bench's /proc/net figures).
 */
export function defaultSources(
  platform: NodeJS.Platform = process.platform,
  procRoot = '/proc',
  { netlink = true }: { netlink?: boolean } = {},
): Source[] {
  if (platform === 'linux') {
    const nl =
      netlink && platform === process.platform && procRoot === '/proc' ? NetlinkSource.create() : null;
    if (nl) return [nl];
    if (readable(`${procRoot}/net/tcp`)) return [new ProcNetSource(procRoot)];
    return [new SiSource(platform), new SsUdpSource()];
  }
  return [new SiSource(platform)];
}

/** The process reader for this platform: /proc per PID on Linux, si.processes() elsewhere. */
export function defaultProcessReader(
  platform: NodeJS.Platform = process.platform,
  procRoot = '/proc',
): ProcessReader {
  return platform === 'linux' && readable(`${procRoot}/self/stat`)
    ? new ProcPidReader(procRoot)
    : new SiProcessReader();
}
