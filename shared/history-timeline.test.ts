import { describe, expect, it } from 'vitest';
import type { ActionEvent, HistoryEvent, SocketEvent } from './history';
import { filterHistory, holdersAt } from './history-filter';
import { buildTimelines } from './history-timeline';

const proc = (pid: number, name = 'postgres') => ({
  pid,
  startId: `s${pid}`,
  name,
  command: `${name} -D /data`,
  user: 'postgres',
});

function sock(
  t: number,
  kind: SocketEvent['kind'],
  pid: number,
  opts: Partial<SocketEvent> = {},
): SocketEvent {
  return {
    t,
    kind,
    key: `tcp:c${pid}`,
    protocol: 'tcp',
    address: '0.0.0.0',
    port: 5432,
    service: 'postgresql',
    process: proc(pid),
    user: 'postgres',
    container: null,
    ...opts,
  };
}

function kill(t: number, pid: number): ActionEvent {
  return {
    t,
    kind: 'kill',
    by: 'cli',
    action: 'free-port',
    ports: [5432],
    protocol: null,
    targets: [proc(pid)],
    container: null,
    signals: [{ pid, signal: 'SIGTERM' }],
    outcome: 'port-free',
    message: 'Port 5432 is free.',
  };
}

describe('buildTimelines', () => {
  it('makes one span per holder, IPv4 and IPv6 sockets together, seen vs opened', () => {
    const events: HistoryEvent[] = [
      { t: 0, kind: 'start' },
      sock(0, 'seen', 812),
      sock(0, 'seen', 812, { key: 'tcp:c812v6', address: '::' }),
      sock(100, 'close', 812),
      sock(120, 'close', 812, { key: 'tcp:c812v6', address: '::' }),
      sock(200, 'open', 950),
    ];
    const r = buildTimelines(events, 0, 1000);
    expect(r.ports).toHaveLength(1);
    const [a, b] = r.ports[0]?.spans ?? [];
    expect(a).toMatchObject({
      from: 0,
      fromKind: 'seen',
      to: 120,
      toKind: 'closed',
      addresses: ['0.0.0.0', '::'],
    });
    expect(b).toMatchObject({ from: 200, fromKind: 'opened', to: null, toKind: 'open' });
    expect(b?.process?.pid).toBe(950);
  });

  it('marks the span a kill ended, and lists the kill on the port', () => {
    const r = buildTimelines([sock(0, 'open', 812), kill(90, 812), sock(100, 'close', 812)], 0, 1000);
    const tl = r.ports[0];
    expect(tl?.actions).toHaveLength(1);
    expect(tl?.spans[0]?.killedBy?.by).toBe('cli');
  });

  it('continues a span across a restart of the recorder when the holder is seen again', () => {
    const r = buildTimelines(
      [
        sock(0, 'open', 812),
        { t: 50, kind: 'stop' },
        { t: 80, kind: 'start' },
        sock(80, 'seen', 812),
        sock(99, 'close', 812),
      ],
      0,
      1000,
    );
    expect(r.ports[0]?.spans).toHaveLength(1);
    expect(r.ports[0]?.spans[0]).toMatchObject({ from: 0, to: 99, toKind: 'closed' });
  });

  it('ends with an unknown end what was not seen again after a stop or a crash', () => {
    const stopped = buildTimelines(
      [sock(0, 'open', 812), { t: 50, kind: 'stop' }, { t: 80, kind: 'start' }],
      0,
      1000,
    );
    expect(stopped.ports[0]?.spans[0]).toMatchObject({ to: 50, toKind: 'unknown' });
    const crashed = buildTimelines(
      [sock(0, 'open', 812), { t: 80, kind: 'start' }, sock(90, 'open', 1)],
      0,
      1000,
    );
    expect(crashed.ports[0]?.spans[0]).toMatchObject({ to: 80, toKind: 'unknown' });
  });

  it('keeps only spans that overlap the window', () => {
    const r = buildTimelines([sock(0, 'open', 1), sock(10, 'close', 1), sock(20, 'open', 2)], 15, 1000);
    expect(r.ports[0]?.spans.map((s) => s.process?.pid)).toEqual([2]);
  });

  it('answers "what held this port at …" and filters with the table language', () => {
    const r = buildTimelines(
      [
        sock(0, 'open', 1),
        sock(10, 'close', 1),
        sock(20, 'open', 2, { process: proc(2, 'node'), port: 3000, key: 'k2' }),
      ],
      0,
      1000,
    );
    const pg = r.ports.find((p) => p.port === 5432);
    expect(holdersAt(pg as NonNullable<typeof pg>, 5).map((s) => s.process?.pid)).toEqual([1]);
    expect(holdersAt(pg as NonNullable<typeof pg>, 15)).toEqual([]);
    expect(filterHistory(r, 'proc:node').ports.map((p) => p.port)).toEqual([3000]);
    expect(filterHistory(r, 'port:5000-6000').ports.map((p) => p.port)).toEqual([5432]);
    expect(filterHistory(r, 'pid:2').ports.map((p) => p.port)).toEqual([3000]);
  });
});
