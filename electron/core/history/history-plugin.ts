import type { ActionEvent, HistoryActor, HistoryResult } from '../../../shared/history';
import type { ProcessInfo } from '../../../shared/model';
import type { Settings } from '../../../shared/settings';
import type { Killer } from '../kill';
import type { PortscopePlugin } from '../portscope';
import { type HistoryQuery, queryHistory } from './history-query';
import { createHistoryRecorder, type HistoryRecorder } from './history-recorder';
import { recordingKiller } from './recording-killer';

/**
 * How the composition root (electron/core/portscope.ts) attaches the history: a recorder plugin
 * that follows the monitor, and a killer that records every kill. Without a folder: nothing.
 */

export interface HistoryOption {
  /** The history folder (history-dir.ts `historyDir()` for the real app). */
  dir: string;
}

interface Deps {
  killer: Killer;
  monitor: { processFor(pid: number): ProcessInfo | null };
  by: HistoryActor;
  settings(): Settings;
}

export interface AttachedHistory {
  killer: Killer;
  plugins: PortscopePlugin[];
  recorder: HistoryRecorder | null;
  /** Answers history:query from the folder; null without a history. */
  query: ((q: HistoryQuery) => Promise<HistoryResult>) | null;
  /**
   * Records an action that is not a kill (Stop container, Stop service, Close connection) with its
   * time and who asked; null without a history. Never throws: a failed record never fails the action.
   */
  recordAction: ((e: Omit<ActionEvent, 't' | 'kind' | 'by'>) => Promise<void>) | null;
}

/** The killer to use and the plugins to start for this history option. */
export function attachHistory(option: HistoryOption | undefined, deps: Deps): AttachedHistory {
  if (!option) return { killer: deps.killer, plugins: [], recorder: null, query: null, recordAction: null };
  const recorder = createHistoryRecorder({
    dir: option.dir,
    retention: () => {
      const s = deps.settings();
      return { maxAgeDays: s.historyMaxAgeDays, maxBytes: s.historyMaxMB * 1024 * 1024 };
    },
  });
  const killer = recordingKiller(deps.killer, {
    by: deps.by,
    sink: {
      recordAction: (e) => (deps.settings().historyEnabled ? recorder.recordAction(e) : undefined),
    },
    describe: (pid) => deps.monitor.processFor(pid),
  });
  const plugin: PortscopePlugin = {
    name: 'history',
    start: (ctx) => (deps.settings().historyEnabled ? recorder.start(ctx.subscribe) : undefined),
  };
  const recordAction = async (e: Omit<ActionEvent, 't' | 'kind' | 'by'>) => {
    if (!deps.settings().historyEnabled) return;
    try {
      await recorder.recordAction({ ...e, t: Date.now(), kind: 'kill', by: deps.by });
    } catch (err) {
      process.stderr.write(
        `portscope: could not record the ${e.action} in the history: ${(err as Error).message}\n`,
      );
    }
  };
  return { killer, plugins: [plugin], recorder, query: (q) => queryHistory(option.dir, q), recordAction };
}
