import type { ActionEvent, HistoryActor, HistoryContainer, HistoryProcess } from '../../../shared/history';
import type { ContainerRef, ProcessIdentity, ProcessInfo } from '../../../shared/model';
import type { Killer } from '../kill';

/**
 * Every kill and port free Portscope performs, written to the history with who asked, what it was
 * aimed at, the signals sent and how it ended. A decorator around the Killer, so the desktop, the
 * browser mode and the CLI record the same way without touching the kill engine; a history that
 * cannot be written never fails the kill itself.
 */

export interface ActionSink {
  recordAction(event: ActionEvent): Promise<void> | void;
}

export interface RecordingOptions {
  by: HistoryActor;
  sink: ActionSink;
  /** The process the user saw under this PID (the monitor's cache, the CLI's rows); null if unknown. */
  describe(pid: number): ProcessInfo | null;
  now?: () => number;
}

/** A process for the history: identity plus the names the user saw. */
export function historyProcess(id: ProcessIdentity, p: ProcessInfo | null): HistoryProcess {
  return {
    pid: id.pid,
    startId: id.startId,
    name: p?.name ?? '',
    command: p?.command ?? '',
    user: p?.user ?? '',
  };
}

/** The container, trimmed to what the history keeps. */
export function historyContainer(c: ContainerRef | null | undefined): HistoryContainer | null {
  return c ? { id: c.id, name: c.name, image: c.image } : null;
}

/** Wrap a Killer so its kill() and freePort() results are recorded. */
export function recordingKiller(killer: Killer, options: RecordingOptions): Killer {
  const now = options.now ?? Date.now;
  const record = async (event: ActionEvent) => {
    try {
      await options.sink.recordAction(event);
    } catch (e) {
      process.stderr.write(`portscope: could not record the kill in the history: ${(e as Error).message}\n`);
    }
  };
  const target = (id: ProcessIdentity) => {
    const p = options.describe(id.pid);
    // The cache may hold a newer process under the same PID: keep names only for the same identity.
    return historyProcess(id, p && p.startId === id.startId ? p : null);
  };
  return {
    plan: (t, tree, rows) => killer.plan(t, tree, rows),
    planFreePort: (port, protocol, rows) => killer.planFreePort(port, protocol, rows),
    async kill(req) {
      const who = target(req.target);
      const info = options.describe(req.target.pid);
      const res = await killer.kill(req);
      await record({
        t: now(),
        kind: 'kill',
        by: options.by,
        action: 'kill',
        ports: [...new Set((req.ports ?? []).map((p) => p.port))],
        protocol: null,
        targets: [who],
        container: historyContainer(info?.container),
        signals: res.signals,
        outcome: res.outcome,
        message: res.message,
      });
      return res;
    },
    async freePort(req) {
      const targets = req.seen.map(target);
      const res = await killer.freePort(req);
      await record({
        t: now(),
        kind: 'kill',
        by: options.by,
        action: 'free-port',
        ports: [req.port],
        protocol: req.protocol,
        targets,
        container: null,
        signals: res.results.flatMap((r) => r.signals),
        outcome: res.outcome,
        message: res.message,
      });
      return res;
    },
  };
}
