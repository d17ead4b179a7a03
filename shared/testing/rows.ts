import type { SocketRow } from '../model';

/** A socket row for tests: a listener of `name` (pid) on 127.0.0.1:port unless overridden. */
export function testRow(port: number, over: Partial<SocketRow> & { name?: string } = {}): SocketRow {
  const { name = 'node', ...rest } = over;
  const base: SocketRow = {
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
  };
  return { ...base, ...rest };
}
