/** The History view and the details panel's recent holders (issue 17). */
export { useHistoryStore } from './history-store';
export { HistoryView } from './history-view';
export { RecentHolders } from './recent-holders';
