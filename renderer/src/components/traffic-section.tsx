import { formatBytes, formatRate } from '../../../shared/format';
import type { SocketRow } from '../../../shared/model';
import { trafficRate } from '../../../shared/view';

/** Bytes and rate summed over sockets (those without counters count as nothing). */
export function trafficSum(rows: readonly SocketRow[]): {
  sent: number;
  received: number;
  rate: number;
  counted: number;
} {
  let sent = 0;
  let received = 0;
  let rate = 0;
  let counted = 0;
  for (const r of rows) {
    if (!r.traffic) continue;
    counted++;
    sent += r.traffic.bytesSent;
    received += r.traffic.bytesReceived;
    rate += trafficRate(r) ?? 0;
  }
  return { sent, received, rate, counted };
}

/**
 * The details panel's traffic: this connection's counters, and the sum over every connection of
 * its process ("which program is moving data"). Nothing when neither has counters (Listening
 * scope, UDP, a source without tcp_info).
 */
export function TrafficSection({ row, sockets }: { row: SocketRow; sockets: readonly SocketRow[] }) {
  const t = row.traffic;
  const sum = trafficSum(sockets);
  if (!t && sum.counted === 0) return null;
  return (
    <section aria-label="Traffic">
      <h3>Traffic</h3>
      <dl>
        {t && (
          <>
            <dt>Sent</dt>
            <dd>{formatBytes(t.bytesSent)}</dd>
            <dt>Received</dt>
            <dd>{formatBytes(t.bytesReceived)}</dd>
            <dt>Rate</dt>
            <dd>
              ↑ {formatRate(t.sendRate)} ↓ {formatRate(t.receiveRate)}
            </dd>
          </>
        )}
        {sum.counted > 0 && row.pid !== null && (
          <>
            <dt>Process total</dt>
            <dd data-testid="traffic-process-total">
              {formatBytes(sum.sent)} sent, {formatBytes(sum.received)} received, {formatRate(sum.rate)}
              <span className="ps-muted">
                {' '}
                ({sum.counted} connection{sum.counted === 1 ? '' : 's'})
              </span>
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}
