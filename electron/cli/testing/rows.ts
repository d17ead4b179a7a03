import type { ProcessInfo, SocketRow } from '../../../shared/model';
import { testRow } from '../../../shared/testing/rows';

/**
 * Constructed rows for the formatting tests only (the CLI's behaviour tests use the real engine
 * against real sockets). Not a mock of any source: a SocketRow is plain data.
 */
export function proc(name: string, extra: Partial<ProcessInfo> = {}): ProcessInfo {
  return {
    name,
    command: `/usr/bin/${name} --serve`,
    path: `/usr/bin/${name}`,
    user: 'alice',
    startTime: 1_700_000_000_000,
    startId: '12345',
    ppid: 1,
    cpu: null,
    memory: null,
    ...extra,
  };
}

let n = 0;
/** A listening TCP row on `port`, overridable field by field. */
export function row(port: number, extra: Partial<SocketRow> = {}): SocketRow {
  n += 1;
  return testRow(port, { key: `k${n}`, process: proc('node'), ...extra });
}
