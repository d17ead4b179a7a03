import type {
  ActionEvent,
  HistoryEvent,
  HistoryResult,
  HolderSpan,
  PortTimeline,
  SocketEvent,
} from './history';

/**
 * Events → one timeline per port: who held it from when to when, and what Portscope did to it.
 * Pure, shared by the CLI and the api, so both tell the same story from the same records.
 */

/** How close (ms) a kill must be to a close to count as its cause: a kill waits up to its grace period. */
export const KILL_MATCH_MS = 70_000;

interface Open {
  span: HolderSpan;
  keys: Set<string>;
}

/** One span per holder on a port: its IPv4 and IPv6 sockets (and SO_REUSEPORT siblings) are one span. */
function spanId(e: SocketEvent): string {
  const p = e.process;
  return `${e.protocol}:${e.port}:${p ? `${p.pid}:${p.startId}` : `k:${e.key}`}`;
}

function newSpan(e: SocketEvent, fromKind: HolderSpan['fromKind']): HolderSpan {
  return {
    protocol: e.protocol,
    port: e.port,
    addresses: [e.address],
    service: e.service,
    process: e.process,
    user: e.user,
    container: e.container,
    from: e.t,
    fromKind,
    to: null,
    toKind: 'open',
    killedBy: null,
  };
}

/** Did this action aim at this span's holder (its identity, or a free of its port)? */
function aimsAt(a: ActionEvent, s: HolderSpan): boolean {
  if (a.protocol !== null && a.protocol !== s.protocol) return false;
  const p = s.process;
  if (p && a.targets.some((t) => t.pid === p.pid && t.startId === p.startId)) return true;
  return a.action !== 'kill' && a.ports.includes(s.port);
}

/**
 * Build the timelines of every port that had a holder (or an action) between `from` and `to`.
 * `events` must be in time order and should start early enough to contain the opens of spans
 * that overlap the window (the store reads from the beginning of what it keeps).
 */
export function buildTimelines(events: readonly HistoryEvent[], from: number, to: number): HistoryResult {
  const spans: HolderSpan[] = [];
  const actions: ActionEvent[] = [];
  const open = new Map<string, Open>();
  const byKey = new Map<string, string>();
  // Spans open when recording stopped (or restarted): a `seen` right after the restart continues them.
  let pending = new Map<string, Open>();
  let pendingEnd = 0;
  let inStart = false;

  const settlePending = () => {
    for (const o of pending.values()) {
      o.span.to = pendingEnd;
      o.span.toKind = 'unknown';
    }
    pending = new Map();
  };
  const suspend = (t: number) => {
    for (const [id, o] of open) pending.set(id, o);
    open.clear();
    byKey.clear();
    pendingEnd = t;
  };

  for (const e of events) {
    if (inStart && e.kind !== 'seen') {
      settlePending();
      inStart = false;
    }
    if (e.kind === 'stop') {
      suspend(e.t);
    } else if (e.kind === 'start') {
      // After a crash nothing said stop: what was open ends, unknown when, unless seen again now.
      if (open.size > 0) suspend(e.t);
      inStart = true;
    } else if (e.kind === 'kill') {
      actions.push(e);
    } else if (e.kind === 'close') {
      const id = byKey.get(e.key);
      byKey.delete(e.key);
      const o = id === undefined ? undefined : open.get(id);
      if (!o || id === undefined) continue;
      o.keys.delete(e.key);
      if (o.keys.size === 0) {
        o.span.to = e.t;
        o.span.toKind = 'closed';
        open.delete(id);
      }
    } else {
      const id = spanId(e);
      let o = open.get(id);
      if (!o && e.kind === 'seen' && pending.has(id)) {
        o = pending.get(id);
        pending.delete(id);
        if (o) open.set(id, o);
      }
      if (!o) {
        o = { span: newSpan(e, e.kind === 'open' ? 'opened' : 'seen'), keys: new Set() };
        open.set(id, o);
        spans.push(o.span);
      }
      o.keys.add(e.key);
      byKey.set(e.key, id);
      if (!o.span.addresses.includes(e.address)) o.span.addresses.push(e.address);
    }
  }
  settlePending();
  return group(spans, actions, from, to);
}

function group(spans: HolderSpan[], actions: ActionEvent[], from: number, to: number): HistoryResult {
  const ports = new Map<string, PortTimeline>();
  const timeline = (protocol: PortTimeline['protocol'], port: number) => {
    const id = `${protocol}:${port}`;
    let tl = ports.get(id);
    if (!tl) {
      tl = { protocol, port, spans: [], actions: [] };
      ports.set(id, tl);
    }
    return tl;
  };
  for (const s of spans) {
    if (s.from > to || (s.to !== null && s.to < from)) continue;
    timeline(s.protocol, s.port).spans.push(s);
  }
  const otherActions: ActionEvent[] = [];
  for (const a of actions) {
    if (a.t < from || a.t > to) continue;
    if (a.ports.length === 0) otherActions.push(a);
    for (const port of a.ports) {
      for (const protocol of a.protocol ? [a.protocol] : (['tcp', 'udp'] as const)) {
        // A protocol-less free names both; show it only where that protocol had a holder.
        if (!a.protocol && !ports.has(`${protocol}:${port}`) && protocol === 'udp') continue;
        timeline(protocol, port).actions.push(a);
      }
    }
  }
  for (const tl of ports.values()) {
    for (const s of tl.spans) {
      if (s.toKind !== 'closed' || s.to === null) continue;
      const end = s.to;
      s.killedBy =
        tl.actions.find((a) => aimsAt(a, s) && a.t >= end - KILL_MATCH_MS && a.t <= end + KILL_MATCH_MS) ??
        null;
    }
  }
  const list = [...ports.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol));
  return { from, to, ports: list, otherActions, truncated: false, notice: null };
}
