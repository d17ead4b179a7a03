import type { SocketRow } from '../model';
import { holderKind } from '../socket-rules';

/** The socket fields a test rarely cares about, derived so the row stays self-consistent. */
type Essentials = Omit<
  SocketRow,
  'owners' | 'inode' | 'uid' | 'user' | 'device' | 'v6only' | 'zone' | 'holder'
> &
  Partial<SocketRow>;

/**
 * Fill in a test row's per-socket fields: owners from pid/process (one holder) unless given,
 * inode/uid/device/v6only/zone unknown, and the holder kind from the shared rule.
 */
export function completeRow(r: Essentials): SocketRow {
  const owners = r.owners ?? (r.pid === null ? [] : [{ pid: r.pid, process: r.process }]);
  const row: SocketRow = {
    inode: null,
    uid: null,
    user: null,
    device: null,
    v6only: null,
    zone: null,
    ...r,
    owners,
    holder: 'hidden',
  };
  row.holder = r.holder ?? holderKind(row);
  return row;
}

/** A socket row for tests: a listener of `name` (pid) on 127.0.0.1:port unless overridden. */
export function testRow(port: number, over: Partial<SocketRow> & { name?: string } = {}): SocketRow {
  const { name = 'node', ...rest } = over;
  return completeRow({
    key: `tcp|127.0.0.1|${port}|${rest.pid ?? 1000 + port}`,
    protocol: 'tcp',
    family: 4,
    localAddress: '127.0.0.1',
    localPort: port,
    remoteAddress: null,
    remotePort: null,
    state: 'LISTEN',
    pid: 1000 + port,
    service: null,
    process: {
      name,
      command: `${name} --port ${port}`,
      path: `/usr/bin/${name}`,
      user: 'alice',
      startTime: Date.now() - 60_000,
      startId: String(port),
      ppid: 1,
      cpu: 0.5,
      memory: 50 * 1024 * 1024,
    },
    ...rest,
  });
}

/** The loopback TCP connection of the test rows: 127.0.0.1:1000 → 127.0.0.1:2000, no process. */
export const LOOPBACK_CONNECTION = {
  protocol: 'tcp',
  family: 4,
  localAddress: '127.0.0.1',
  localPort: 1000,
  remoteAddress: '127.0.0.1',
  remotePort: 2000,
  state: 'ESTABLISHED',
  pid: null,
} as const satisfies Partial<SocketRow>;

/** A kernel-held TCP connection row (LOOPBACK_CONNECTION) unless overridden. */
export function connectionRow(key: string, over: Partial<SocketRow> = {}): SocketRow {
  return completeRow({ key, ...LOOPBACK_CONNECTION, process: null, service: null, ...over });
}
