import type { ParsedRequest } from '../../../shared/contract';
import type { HistoryResult } from '../../../shared/history';
import type { HistoryQuery } from './history-query';

/** The api's side of `history:query`: defaults for the window, and the answer when there is no history. */

/** What a page asks for when it names no window: the last day. */
export const DEFAULT_WINDOW_MS = 24 * 3_600_000;

/** The validated request as a query: `to` defaults to now, `from` to a day before `to`. */
export function historyRequest(req: ParsedRequest<'history:query'>, now: number): HistoryQuery {
  const to = req.to ?? now;
  const from = req.from ?? to - DEFAULT_WINDOW_MS;
  return {
    from,
    to,
    ...(req.port !== undefined ? { port: req.port } : {}),
    ...(req.filter ? { filter: req.filter } : {}),
  };
}

/** The answer of a host that records no history. */
export function noHistory(q: HistoryQuery): HistoryResult {
  return {
    from: q.from,
    to: q.to,
    ports: [],
    otherActions: [],
    truncated: false,
    notice: 'This Portscope does not record a port history.',
  };
}
