import type { HolderSpan, PortTimeline } from '../../../../shared/history';
import { holdersAt } from '../../../../shared/history-filter';
import { actionText, holderText, spanText } from './history-text';

/** One port: a bar per holder across the window, then each holder and each action as a line. */
export function PortTimelineCard({
  tl,
  from,
  to,
  at,
  now,
}: {
  tl: PortTimeline;
  from: number;
  to: number;
  at: number | null;
  now: number;
}) {
  const width = Math.max(1, to - from);
  const pct = (t: number) => `${(Math.min(Math.max(t - from, 0), width) / width) * 100}%`;
  const heldAt = at === null ? null : new Set(holdersAt(tl, at));
  const service = tl.spans.find((s) => s.service)?.service;
  return (
    <section className="ps-history-port" aria-label={`Port ${tl.port}/${tl.protocol}`}>
      <h3>
        <span className="ps-mono">
          {tl.port}/{tl.protocol}
        </span>
        {service && <span className="ps-muted"> {service}</span>}
      </h3>
      <div className="ps-history-bar" aria-hidden="true">
        {tl.spans.map((s, i) => (
          <span
            key={spanKey(s, i)}
            className={`ps-history-seg${s.killedBy ? ' is-killed' : ''}${s.to === null ? ' is-open' : ''}`}
            style={{ left: pct(s.from), width: `calc(${pct(s.to ?? to)} - ${pct(s.from)} + 2px)` }}
            title={`${holderText(s)} ${spanText(s, now)}`}
          />
        ))}
        {at !== null && <span className="ps-history-at" style={{ left: pct(at) }} />}
      </div>
      <ul className="ps-history-list">
        {tl.spans.map((s, i) => (
          <li key={spanKey(s, i)} className={heldAt && !heldAt.has(s) ? 'is-dim' : undefined}>
            <span className="ps-history-holder">{holderText(s)}</span>
            <span className="ps-muted">{spanText(s, now)}</span>
            {s.process?.command && <span className="ps-mono ps-history-cmd">{s.process.command}</span>}
          </li>
        ))}
        {tl.actions.map((a) => (
          <li key={`a${a.t}-${a.action}`} className="ps-history-action">
            {actionText(a, now)}
          </li>
        ))}
      </ul>
    </section>
  );
}

function spanKey(s: HolderSpan, i: number): string {
  return `${s.from}-${s.process?.pid ?? 'x'}-${i}`;
}
