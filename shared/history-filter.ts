import { parseFilter } from './filter';
import type { HistoryResult, HolderSpan, PortTimeline } from './history';
import type { SocketRow } from './model';

/**
 * The table's filter language over the history: a holder's span is matched as the listening row
 * it was (port, process, PID, user, address, service…), so `proc:postgres`, `port:5000-5999` or
 * `user:alice` mean in the History view what they mean in the table.
 */

/** The row a span stood for (listening, as the recorder saw it). */
export function spanRow(s: HolderSpan): SocketRow {
  const p = s.process;
  const process = p
    ? {
        name: p.name,
        command: p.command,
        path: '',
        user: p.user,
        startTime: 0,
        startId: p.startId,
        ppid: null,
        cpu: null,
        memory: null,
      }
    : null;
  return {
    key: `h:${s.protocol}:${s.port}:${p ? `${p.pid}:${p.startId}` : s.from}`,
    protocol: s.protocol,
    family: s.addresses.some((a) => a.includes(':')) ? 6 : 4,
    localAddress: s.addresses[0] ?? '',
    localPort: s.port,
    remoteAddress: null,
    remotePort: null,
    state: s.protocol === 'tcp' ? 'LISTEN' : 'UNCONN',
    owners: p ? [{ pid: p.pid, process }] : [],
    pid: p?.pid ?? null,
    process,
    service: s.service,
    inode: null,
    uid: null,
    user: s.user ?? p?.user ?? null,
    device: null,
    v6only: null,
    zone: null,
    holder: p ? 'process' : 'hidden',
  };
}

/** Keep the ports with at least one span the filter accepts, and in them only those spans. */
export function filterHistory(result: HistoryResult, text: string): HistoryResult {
  const filter = parseFilter(text);
  if (filter.empty) return result;
  const ports: PortTimeline[] = [];
  for (const tl of result.ports) {
    const spans = tl.spans.filter((s) => filter.test(spanRow(s)));
    if (spans.length > 0) ports.push({ ...tl, spans });
  }
  return { ...result, ports };
}

/** The holders a port had at one moment ("what held this port at …?"). */
export function holdersAt(tl: PortTimeline, t: number): HolderSpan[] {
  return tl.spans.filter((s) => s.from <= t && (s.to === null || s.to >= t));
}
