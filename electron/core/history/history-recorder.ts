import type { ActionEvent, HistoryEvent, SocketEvent } from '../../../shared/history';
import type { SocketRow } from '../../../shared/model';
import type { MonitorEvent, MonitorView, ViewOptions } from '../monitor/monitor';
import { readStartId } from '../processes/proc-identity';
import { ensureHistoryDir } from './history-files';
import { applyRetention, type Retention, repairHistory } from './history-reader';
import { createHistoryWriter, type HistoryWriter } from './history-writer';
import { releaseLease, takeLease } from './recorder-lease';
import { historyContainer, historyProcess } from './recording-killer';

/**
 * The recorder: a client of the monitor's listening rows that writes one event per socket that
 * opens or closes, plus the kills Portscope performs. Its first snapshot is the baseline: what is
 * open then is written as `seen` (open since before recording), never as opened now.
 */

export interface RecorderOptions {
  dir: string;
  /** Retention now (read from the settings each time it runs). */
  retention(): Retention;
  now?: () => number;
  /** Failures writing the history (default: stderr, once per kind of error). */
  logError?: (e: unknown) => void;
}

export interface HistoryRecorder {
  /** Start following the monitor; returns the stop function (a plugin's contract). */
  start(subscribe: (options: ViewOptions, listener: (ev: MonitorEvent) => void) => MonitorView): () => void;
  recordAction(event: ActionEvent): Promise<void>;
  /** Resolves when everything handed over so far is on disk (tests). */
  flush(): Promise<void>;
  /** Whether this process holds the recorder lease (records sockets). */
  recording(): boolean;
}

const RETENTION_EVERY_MS = 3_600_000;

/** A listening row as the history keeps it. */
export function socketEvent(kind: SocketEvent['kind'], row: SocketRow, t: number): SocketEvent {
  const p = row.process;
  return {
    t,
    kind,
    key: row.key,
    protocol: row.protocol,
    address: row.localAddress,
    port: row.localPort,
    service: row.service,
    process: row.pid !== null && p ? historyProcess({ pid: row.pid, startId: p.startId }, p) : null,
    user: row.user,
    container: historyContainer(row.container ?? p?.container),
  };
}

const sameHolder = (a: SocketEvent, b: SocketEvent) =>
  a.process?.pid === b.process?.pid && a.process?.startId === b.process?.startId;

/** Build a recorder for one folder. Nothing is written before start() or recordAction(). */
export function createHistoryRecorder(options: RecorderOptions): HistoryRecorder {
  const now = options.now ?? Date.now;
  let writer: HistoryWriter | null = null;
  // The sockets open now, as last written: repeated at the head of each new segment.
  const open = new Map<string, SocketEvent>();
  let pending: Promise<unknown> = Promise.resolve();
  let leased = false;
  const logged = new Set<string>();
  const log =
    options.logError ??
    ((e: unknown) => {
      const msg = e instanceof Error ? e.message : String(e);
      if (logged.has(msg)) return;
      logged.add(msg);
      process.stderr.write(`portscope: history: ${msg}\n`);
    });

  // Created synchronously, so appends queue in the order the monitor's events came.
  const getWriter = () => {
    if (!writer) {
      writer = createHistoryWriter({
        dir: options.dir,
        startId: readStartId(process.pid),
        // What was open before this batch: a socket the batch opens stays "opened", not "seen".
        checkpoint: (t, batch) => {
          const opened = new Set(batch.flatMap((e) => (e.kind === 'open' ? [e.key] : [])));
          return [...open.values()]
            .filter((e) => !opened.has(e.key))
            .map((e) => ({ ...e, t, kind: 'seen' as const }));
        },
      });
    }
    return writer;
  };
  const track = <T>(p: Promise<T>) => {
    pending = Promise.allSettled([pending, p]);
    return p;
  };
  const append = (events: HistoryEvent[]) => {
    if (events.length === 0) return;
    track(getWriter().append(events).catch(log));
  };

  return {
    recording: () => leased,
    flush: async () => {
      let seen: Promise<unknown> | null = null;
      while (seen !== pending) {
        seen = pending;
        await pending;
      }
    },
    recordAction: (event) => track(getWriter().append([event])),
    start(subscribe) {
      open.clear();
      let view: MonitorView | null = null;
      let stopped = false;
      let baseline = false;

      const onEvent = (ev: MonitorEvent) => {
        if (ev.type === 'status') return;
        const rows = ev.type === 'snapshot' ? ev.snapshot.rows : [...ev.delta.added, ...ev.delta.changed];
        const t = ev.type === 'snapshot' ? ev.snapshot.takenAt : ev.delta.takenAt;
        const batch: HistoryEvent[] = [];
        if (!baseline) {
          if (ev.type !== 'snapshot') return;
          baseline = true;
          batch.push({ t, kind: 'start' });
        }
        const closeKey = (key: string) => {
          const was = open.get(key);
          if (!was) return;
          open.delete(key);
          batch.push({ ...was, t, kind: 'close' });
        };
        if (ev.type === 'snapshot') {
          const keys = new Set(ev.snapshot.rows.map((r) => r.key));
          for (const key of [...open.keys()]) if (!keys.has(key)) closeKey(key);
        } else {
          for (const key of ev.delta.removed) closeKey(key);
        }
        const first = batch.length === 1 && batch[0]?.kind === 'start';
        for (const row of rows) {
          const next = socketEvent(first ? 'seen' : 'open', row, t);
          const was = open.get(row.key);
          if (was && sameHolder(was, next)) continue;
          // A hand-off (the same socket, now another process's): the old holder's span ends.
          if (was) closeKey(row.key);
          open.set(row.key, next);
          batch.push(next);
        }
        append(batch);
      };

      const retain = () => {
        track(applyRetention(options.dir, options.retention(), now()).catch(log));
      };
      const timer = setInterval(retain, RETENTION_EVERY_MS);
      timer.unref?.();

      track(
        (async () => {
          const startId = await readStartId(process.pid);
          await ensureHistoryDir(options.dir);
          await repairHistory(options.dir).catch(log);
          await applyRetention(options.dir, options.retention(), now()).catch(log);
          leased = await takeLease(options.dir, startId).catch((e) => {
            log(e);
            return false;
          });
          if (leased && !stopped) view = subscribe({ scope: 'listening', observed: false }, onEvent);
        })().catch(log),
      );

      return () => {
        stopped = true;
        clearInterval(timer);
        view?.close();
        view = null;
        if (leased && baseline) append([{ t: now(), kind: 'stop' }]);
        const closing = writer?.close();
        track(
          (async () => {
            await closing;
            if (leased) await releaseLease(options.dir);
            leased = false;
          })().catch(log),
        );
      };
    },
  };
}
