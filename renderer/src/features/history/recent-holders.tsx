import { useEffect, useState } from 'react';
import type { HolderSpan } from '../../../../shared/history';
import type { Protocol } from '../../../../shared/model';
import { getApi } from '../../api';
import { holderText, spanText } from './history-text';

const WEEK = 7 * 86_400_000;
const SHOWN = 5;

/** The details panel's "Recent holders" of a port: the last holders the history recorded this week. */
export function RecentHolders({ port, protocol }: { port: number; protocol: Protocol }) {
  const [spans, setSpans] = useState<HolderSpan[] | null>(null);
  useEffect(() => {
    let live = true;
    const to = Date.now();
    getApi()
      .request('history:query', { port, from: to - WEEK, to })
      .then((r) => {
        if (!live) return;
        const tl = r.ports.find((p) => p.protocol === protocol);
        setSpans(tl ? tl.spans.slice(-SHOWN).reverse() : []);
      })
      .catch(() => live && setSpans(null));
    return () => {
      live = false;
    };
  }, [port, protocol]);
  if (!spans || spans.length === 0) return null;
  const now = Date.now();
  return (
    <section aria-label="Recent holders">
      <h3>Recent holders of port {port}</h3>
      <ul className="ps-socket-list">
        {spans.map((s) => (
          <li key={`${s.from}-${s.process?.pid ?? ''}`}>
            <span>{holderText(s)}</span>
            <span className="ps-muted">{spanText(s, now)}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
