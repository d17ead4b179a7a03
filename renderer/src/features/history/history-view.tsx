import { useEffect, useState } from 'react';
import { holdersAt } from '../../../../shared/history-filter';
import { HISTORY_RANGES, useHistoryStore } from './history-store';
import { fromLocalInput, toLocalInput } from './history-text';
import { PortTimelineCard } from './port-timeline';
import './history.css';

/**
 * The History view: every port that had a holder in the chosen window, as a timeline (who held it
 * from when to when, and what Portscope killed), filtered with the table's filter language, and
 * "what held this port at …?" as a moment to pick.
 */
export function HistoryView() {
  const s = useHistoryStore();
  const [draft, setDraft] = useState(s.filter);
  const now = Date.now();
  useEffect(() => {
    void useHistoryStore.getState().refresh();
  }, []);
  const result = s.result;
  const ports = result
    ? s.at === null
      ? result.ports
      : result.ports.filter((tl) => holdersAt(tl, s.at as number).length > 0)
    : [];
  const submit = () => {
    s.setFilter(draft);
    void useHistoryStore.getState().refresh();
  };
  return (
    <section className="ps-history" aria-label="History">
      <div className="ps-history-tools">
        <form
          onSubmit={(e) => {
            e.preventDefault();
            submit();
          }}
        >
          <input
            className="ps-input"
            type="search"
            aria-label="Filter history"
            placeholder="Filter history: port:5432 proc:postgres user:alice"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            onBlur={submit}
          />
        </form>
        <select
          className="ps-input"
          aria-label="Time window"
          value={s.rangeMs}
          onChange={(e) => s.setRange(Number(e.target.value))}
        >
          {HISTORY_RANGES.map((r) => (
            <option key={r.ms} value={r.ms}>
              {r.label}
            </option>
          ))}
        </select>
        <label className="ps-history-at-pick">
          What held it at
          <input
            className="ps-input"
            type="datetime-local"
            aria-label="What held the port at"
            value={s.at === null ? '' : toLocalInput(s.at)}
            onChange={(e) => s.setAt(fromLocalInput(e.target.value))}
          />
        </label>
        {s.at !== null && (
          <button type="button" className="ps-btn" onClick={() => s.setAt(null)}>
            Any time
          </button>
        )}
        <button type="button" className="ps-btn" onClick={() => void s.refresh()}>
          Refresh
        </button>
      </div>
      {s.error && <p className="ps-history-note">Could not read the history: {s.error}</p>}
      {result?.notice && <p className="ps-history-note">{result.notice}</p>}
      <div className="ps-history-body">
        {result && ports.length === 0 && !result.notice && (
          <p className="ps-history-note">
            Nothing recorded in this window{s.filter ? ' for this filter' : ''}.
          </p>
        )}
        {result &&
          ports.map((tl) => (
            <PortTimelineCard
              key={`${tl.protocol}:${tl.port}`}
              tl={tl}
              from={result.from}
              to={result.to}
              at={s.at}
              now={now}
            />
          ))}
        {result?.truncated && <p className="ps-history-note">More ports than shown: narrow the filter.</p>}
      </div>
    </section>
  );
}
