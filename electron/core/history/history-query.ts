import type { HistoryResult } from '../../../shared/history';
import { filterHistory } from '../../../shared/history-filter';
import { buildTimelines } from '../../../shared/history-timeline';
import { readHistory } from './history-reader';

/**
 * A question to the history: which ports had which holders between `from` and `to`, narrowed by
 * a port or by the filter language. The store's index answers a single port without reading the
 * segments that never saw it.
 */

export interface HistoryQuery {
  from: number;
  to: number;
  port?: number;
  filter?: string;
  /** At most this many port timelines (the busiest last ports are cut; `truncated` says so). */
  maxPorts?: number;
}

/** Answer a query from the folder; a missing folder is an empty history with a notice. */
export async function queryHistory(dir: string, q: HistoryQuery): Promise<HistoryResult> {
  const read = await readHistory(dir, {
    ...(q.port !== undefined ? { port: q.port } : {}),
    from: q.from,
    to: q.to,
  });
  let result = buildTimelines(read.events, q.from, q.to);
  if (q.port !== undefined) {
    const port = q.port;
    result = {
      ...result,
      ports: result.ports.filter((tl) => tl.port === port),
      otherActions: [],
    };
  }
  if (q.filter) result = filterHistory(result, q.filter);
  const notes: string[] = [];
  if (read.events.length === 0) notes.push('Nothing has been recorded yet.');
  if (read.damaged > 0) notes.push(`${read.damaged} damaged record(s) were skipped.`);
  if (read.foreign > 0)
    notes.push(`${read.foreign} file(s) in the history folder are not history and were skipped.`);
  const max = q.maxPorts ?? 500;
  const truncated = result.ports.length > max;
  return {
    ...result,
    ports: truncated ? result.ports.slice(0, max) : result.ports,
    truncated,
    notice: notes.length > 0 ? notes.join(' ') : null,
  };
}
