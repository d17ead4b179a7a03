import { readFileSync } from 'node:fs';
import { type LoadShape, spawnLoad } from './spawn-load';

/** A load spread over as many children as the fd limit needs. */
export interface SpreadLoad {
  pids: number[];
  /** Sockets opened in total (listeners incl. each child's hub, UDP, both ends of each pair). */
  expected: LoadShape;
  sockets: number;
  /** Why there is more than one child, when there is (printed by the benches). */
  note: string | null;
  stop(): Promise<void>;
}

/** Hard fd limit of this process (what a child may raise its soft limit to without privilege). */
export function hardNoFile(): number | null {
  try {
    const m = /^Max open files\s+\d+\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return m?.[1] ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

/**
 * Open `tcp` listeners, `udp` bound sockets and `pairs` established loopback pairs, in one child
 * when its fd limit can be raised far enough (spawnLoad does that with prlimit), else in several
 * children of at most the hard limit each: an unprivileged process (or a container without
 * CAP_SYS_RESOURCE) cannot raise the hard limit, and the engine's work is the same either way.
 */
export async function spawnSpread(tcp: number, udp: number, pairs: number): Promise<SpreadLoad> {
  const hard = hardNoFile() ?? 1024;
  const per = Math.max(1000, Math.min(hard, 1 << 20) - 300);
  const chunks: [number, number, number][] = [];
  let [t, u, p] = [tcp, udp, pairs];
  while (t + u + p > 0 || chunks.length === 0) {
    let room = per;
    const ct = Math.min(t, room);
    room -= ct;
    const cu = Math.min(u, room);
    room -= cu;
    const cp = Math.min(p, Math.floor(room / 2));
    chunks.push([ct, cu, cp]);
    [t, u, p] = [t - ct, u - cu, p - cp];
    if (ct + cu + cp === 0) break;
  }
  const loads: Awaited<ReturnType<typeof spawnLoad>>[] = [];
  try {
    for (const [ct, cu, cp] of chunks) loads.push(await spawnLoad(ct, cu, cp));
  } catch (err) {
    await Promise.all(loads.map((l) => l.stop()));
    throw err;
  }
  const expected: LoadShape = { tcpListeners: 0, udp: 0, established: 0 };
  for (const l of loads) {
    expected.tcpListeners += l.expected.tcpListeners;
    expected.udp += l.expected.udp;
    expected.established += l.expected.established;
  }
  return {
    pids: loads.map((l) => l.pid),
    expected,
    sockets: expected.tcpListeners + expected.udp + expected.established,
    note:
      loads.length > 1
        ? `spread over ${loads.length} load processes: the hard fd limit here is ${hard} and cannot be raised without privilege`
        : null,
    stop: async () => {
      await Promise.all(loads.map((l) => l.stop()));
    },
  };
}
