/**
 * Port history (issue 17): a crash-safe, append-only store in the user's data folder, the recorder
 * that follows the monitor, the kill decorator, and queries. See docs/architecture.md.
 */
export { historyDir } from './history-dir';
export { type HistoryQuery, queryHistory } from './history-query';
export { applyRetention, readHistory, repairHistory } from './history-reader';
export { createHistoryRecorder, type HistoryRecorder } from './history-recorder';
export { createHistoryWriter } from './history-writer';
export { recordingKiller } from './recording-killer';
