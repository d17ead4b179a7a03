import { describe, expect, it } from 'vitest';
import type { MonitorStatus, SocketRow } from '../../../shared/model';
import { testRow } from '../../../shared/testing/rows';
import type { MonitorEvent } from '../monitor/monitor';
import { followMonitor } from './port-watcher';

const listener = (port: number, name: string): SocketRow =>
  testRow(port, { key: `tcp|${port}`, localAddress: '0.0.0.0', pid: 10, name });

const status = (state: MonitorStatus['state']): MonitorStatus => ({
  state,
  intervalMs: 1000,
  scope: 'listening',
  lastUpdate: null,
  stale: false,
  errors: [],
  observed: true,
});

function setup(watch: { notifications: boolean; watchedPorts: number[] }) {
  let emit: (ev: MonitorEvent) => void = () => {};
  const updates: { ports: number[]; state: string }[] = [];
  const notes: string[] = [];
  const handle = followMonitor({
    subscribe: (l) => {
      emit = l;
      return {
        close: () => {
          emit = () => {};
        },
      };
    },
    onRows: (rows, s) => updates.push({ ports: rows.map((r) => r.localPort).sort(), state: s.state }),
    watch: () => watch,
    notify: (m) => notes.push(m),
  });
  return { emit: (ev: MonitorEvent) => emit(ev), updates, notes, stop: () => handle.close() };
}

const delta = (seq: number, added: SocketRow[], removed: string[] = []) => ({
  type: 'delta' as const,
  delta: { seq, takenAt: seq, added, removed, changed: [] },
});

describe('followMonitor', () => {
  it('keeps the tray on the listening rows and skips quiet deltas and unchanged status', () => {
    const t = setup({ notifications: false, watchedPorts: [] });
    t.emit({
      type: 'snapshot',
      snapshot: { seq: 1, takenAt: 1, scope: 'listening', rows: [listener(22, 'sshd')], errors: [] },
    });
    t.emit(delta(2, []));
    t.emit({ type: 'status', status: status('polling') });
    t.emit(delta(3, [listener(3000, 'node')]));
    t.emit({ type: 'status', status: status('paused') });
    expect(t.updates).toEqual([
      { ports: [22], state: 'polling' },
      { ports: [22, 3000], state: 'polling' },
      { ports: [22, 3000], state: 'paused' },
    ]);
  });

  it('notifies when a watched port opens or closes, never for the baseline or unwatched ports', () => {
    const t = setup({ notifications: true, watchedPorts: [5432, 3000] });
    t.emit({
      type: 'snapshot',
      snapshot: { seq: 1, takenAt: 1, scope: 'listening', rows: [listener(3000, 'node')], errors: [] },
    });
    t.emit(delta(2, [listener(5432, 'postgres'), listener(8080, 'nginx')]));
    t.emit(delta(3, [], ['tcp|3000']));
    expect(t.notes).toEqual(['Port 5432 opened by postgres', 'Port 3000 closed']);
  });

  it('stays silent when notifications are off, even for watched ports', () => {
    const t = setup({ notifications: false, watchedPorts: [5432] });
    t.emit({ type: 'snapshot', snapshot: { seq: 1, takenAt: 1, scope: 'listening', rows: [], errors: [] } });
    t.emit(delta(2, [listener(5432, 'postgres')]));
    expect(t.notes).toEqual([]);
    t.stop();
  });

  it('ignores a delta that comes before any snapshot: with no baseline nothing is news', () => {
    const t = setup({ notifications: true, watchedPorts: [5432] });
    t.emit(delta(1, [listener(5432, 'postgres')]));
    expect(t.notes).toEqual([]);
    expect(t.updates).toEqual([]);
    t.emit({
      type: 'snapshot',
      snapshot: { seq: 1, takenAt: 1, scope: 'listening', rows: [listener(5432, 'postgres')], errors: [] },
    });
    t.emit(delta(2, [], ['tcp|5432']));
    expect(t.notes).toEqual(['Port 5432 closed']);
  });
});
