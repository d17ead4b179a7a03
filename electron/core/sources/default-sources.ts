import { accessSync, constants } from 'node:fs';
import { ProcPidReader } from '../processes/proc-pid-info';
import type { ProcessReader } from '../processes/process-cache';
import { SiProcessReader } from '../processes/si-process-reader';
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
 * The sources for this platform. Linux: /proc/net (complete, incl. unconnected UDP, and faster
 * than spawning ss); when /proc/net cannot be read, systeminformation plus `ss -uanp` for the UDP
 * sockets si drops. Everywhere else: systeminformation.
 */
export function defaultSources(platform: NodeJS.Platform = process.platform, procRoot = '/proc'): Source[] {
  if (platform === 'linux') {
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
