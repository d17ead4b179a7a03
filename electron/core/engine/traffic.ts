import type { SocketRow, Traffic } from '../../../shared/model';
import type { RawSocket } from '../sources/types';

/**
 * Bytes sent / received per TCP connection and the rate since the previous poll, by row key.
 * The engine reuses last poll's row object for an unchanged socket, and the monitor's diff
 * short-circuits on that identity: so a row gets a new `traffic` (and a new row object) only when
 * its counters moved, or when it stops moving (its rate drops to 0 once). An idle connection keeps
 * its very object and costs no delta.
 */
export class TrafficTracker {
  /**
   * When the last poll's counters were read (ms, monotonic). The counters themselves are kept where
   * they already are, on last poll's rows: no second copy of 25,000 connections' numbers.
   */
  private lastAt = 0;
  /** Rows with counters in the last poll. */
  private counted = 0;
  /** Keys of rows whose last traffic shows a non-zero rate: the next poll must bring it back to 0. */
  private rating = new Set<string>();

  /** The last poll had connections with counters (the Listening scope has none: nothing to re-rate). */
  tracking(): boolean {
    return this.counted > 0;
  }

  /** Some row of the last poll shows a non-zero rate (the next poll must bring it back to 0). */
  moving(): boolean {
    return this.rating.size > 0;
  }

  /**
   * `now` is a monotonic clock in ms (injectable for tests). hrtime, not performance.now(): the
   * first touch of `performance` loads perf_hooks (~2 ms of every CLI run).
   */
  constructor(private readonly now: () => number = () => Number(process.hrtime.bigint()) / 1e6) {}

  /**
   * Give each connection row of this poll its traffic, replacing `rows[i]` by a copy where it
   * changed (rows may be last poll's objects, which the monitor still holds: never mutated).
   * `previous`: last poll's rows by key; a row not among them was made this poll and is set in place.
   * Returns how many rows were replaced by a copy.
   * Listeners and rows without counters (UDP, /proc/net, the Listening scope) are left alone.
   */
  apply(
    rows: SocketRow[],
    raw: ReadonlyMap<string, RawSocket>,
    previous?: ReadonlyMap<string, SocketRow>,
  ): number {
    const at = this.now();
    let replaced = 0;
    let counted = 0;
    const rating = new Set<string>();
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as SocketRow;
      const tcp = raw.get(row.key)?.tcp;
      if (!tcp || row.state === 'LISTEN') continue;
      const sent = tcp.bytesAcked;
      const received = tcp.bytesReceived;
      counted++;
      const old = row.traffic ?? null;
      if (old && old.bytesSent === sent && old.bytesReceived === received) {
        // Idle: keep the object (no change), unless it still shows the rate of the last burst.
        if (!old.sendRate && !old.receiveRate) continue;
        rows[i] = { ...row, traffic: { ...old, sendRate: 0, receiveRate: 0 } };
        replaced++;
        continue;
      }
      // Last poll's counters: on this very row when it is last poll's object, else on last poll's row.
      const before = old ?? previous?.get(row.key)?.traffic;
      const traffic = trafficBetween(before, this.lastAt, sent, received, at);
      if (traffic.sendRate || traffic.receiveRate) rating.add(row.key);
      // A row made this poll is nobody else's yet: set it in place (a cold poll of 10,000
      // connections would otherwise copy every one of them).
      if (previous && previous.get(row.key) !== row) row.traffic = traffic;
      else {
        rows[i] = { ...row, traffic };
        replaced++;
      }
    }
    this.counted = counted;
    this.rating = rating;
    this.lastAt = at;
    return replaced;
  }

  /**
   * The same as apply() for a poll whose sockets are last poll's, where the source knows which
   * sockets' counters moved: only those rows, and rows still showing a rate, are looked at
   * (a quiet All-sockets view of 25,000 connections costs the few that moved, not all of them).
   * `rows`: last poll's rows by key (never mutated). Returns the replacement rows (new objects).
   */
  applyMoved(
    rows: ReadonlyMap<string, SocketRow>,
    moved: Iterable<{ key: string; tcp: { bytesAcked: number; bytesReceived: number } }>,
  ): SocketRow[] {
    const at = this.now();
    const out = new Map<string, SocketRow>();
    const rating = new Set<string>();
    for (const { key, tcp } of moved) {
      const row = rows.get(key);
      if (!row || row.state === 'LISTEN') continue;
      const sent = tcp.bytesAcked;
      const received = tcp.bytesReceived;
      const old = row.traffic ?? null;
      if (old && old.bytesSent === sent && old.bytesReceived === received) continue;
      // Counters that did not move are last poll's as they are: no per-row work for them.
      const traffic = trafficBetween(old ?? undefined, this.lastAt, sent, received, at);
      if (traffic.sendRate || traffic.receiveRate) rating.add(key);
      out.set(key, { ...row, traffic });
    }
    // Rows that showed a rate and did not move since: their rate is 0 now (apply() does the same).
    for (const key of this.rating) {
      if (out.has(key)) continue;
      const row = rows.get(key);
      const old = row?.traffic;
      if (!row || !old || (!old.sendRate && !old.receiveRate)) continue;
      out.set(key, { ...row, traffic: { ...old, sendRate: 0, receiveRate: 0 } });
    }
    this.rating = rating;
    this.lastAt = at;
    return [...out.values()];
  }
}

/** Counters now, and the rate since `before` read at `then` (null on the first sighting or a counter reset). */
function trafficBetween(
  before: Traffic | null | undefined,
  then: number,
  sent: number,
  received: number,
  at: number,
): Traffic {
  const secs = before ? (at - then) / 1000 : 0;
  const valid = !!before && secs > 0 && sent >= before.bytesSent && received >= before.bytesReceived;
  return {
    bytesSent: sent,
    bytesReceived: received,
    sendRate: valid ? (sent - before.bytesSent) / secs : null,
    receiveRate: valid ? (received - before.bytesReceived) / secs : null,
  };
}

/** Whether two rows show the same traffic (the monitor's diff: a moved counter is a change). */
export function sameTraffic(a: Traffic | null | undefined, b: Traffic | null | undefined): boolean {
  if (a === b) return true;
  if (!a || !b) return (a ?? null) === (b ?? null);
  return (
    a.bytesSent === b.bytesSent &&
    a.bytesReceived === b.bytesReceived &&
    a.sendRate === b.sendRate &&
    a.receiveRate === b.receiveRate
  );
}
