import type {
  MonitorStatus,
  ProcessIdentity,
  ProcessInfo,
  Scope,
  Snapshot,
  SocketRow,
  SourceError,
} from '../../../shared/model';
import { createEngine, type Engine } from '../engine/engine';
import { PatchedRows } from '../engine/patched-rows';
import { BURST_ROWS, compactSoon } from '../heap-tuning';
import { diffRows, sameRow } from './diff';
import { type MonitorEvent, type MonitorView, type ViewOptions, ViewSet } from './views';

export type { MonitorEvent, MonitorView, ViewOptions } from './views';

export interface MonitorOptions {
  engine?: Engine;
  /** Poll interval while someone is looking (default 1000 ms). */
  intervalMs?: number;
  /** Poll interval while nobody is looking (default 5000 ms). */
  idleIntervalMs?: number;
  /** Per-source time-out for the engine the monitor creates (default 5000 ms). */
  timeoutMs?: number;
  /** The scope of a view that names none (default 'listening'). */
  scope?: Scope;
}

/** How long an identity counts as "seen" after it left the table (kill re-checks use this). */
const SEEN_MS = 60_000;

/**
 * Polls the engine for the union of what its views need ('all' if any observed, unpaused view
 * shows all sockets, else 'listening'), diffs each poll once, and gives every view the part of that
 * diff its own scope shows, numbered with the view's own seq. One poll in flight at a time; failures
 * become errors on the status, not an empty table.
 *
 * Pause is per view: pausing freezes the table of the window or tab that asked (to read it), and
 * must not freeze another tab or the tray. The monitor stops polling only when every view is paused.
 * The interval is global: there is one poll loop, and the interval is a saved setting of the machine.
 */
export class Monitor {
  private readonly engine: Engine;
  private intervalMs: number;
  private readonly idleIntervalMs: number;
  private running = false;
  private seq = 0;
  private rows: ReadonlyMap<string, SocketRow> = new Map();
  private snapshot: Snapshot | null = null;
  private errors: SourceError[] = [];
  private lastSuccess: number | null = null;
  private lastStart = 0;
  private inflight: Promise<Snapshot> | null = null;
  private abort: AbortController | null = null;
  private timer: NodeJS.Timeout | null = null;
  private staleTimer: NodeJS.Timeout | null = null;
  private staleWait = 0;
  private readonly views: ViewSet;
  private readonly seen = new Map<string, number>();
  private readonly procs = new Map<number, ProcessInfo>();
  /** Settles after the first poll; holds no copy of it (25,000 cloned rows kept for a lifetime). */
  private readonly first: Promise<void>;
  private resolveFirst!: () => void;

  constructor(opts: MonitorOptions = {}) {
    this.engine =
      opts.engine ?? createEngine(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {});
    this.intervalMs = opts.intervalMs ?? 1000;
    this.idleIntervalMs = opts.idleIntervalMs ?? 5000;
    this.views = new ViewSet(
      {
        latest: () =>
          this.snapshot
            ? {
                rows: this.rows,
                errors: this.errors,
                takenAt: this.snapshot.takenAt,
                scope: this.snapshot.scope,
              }
            : null,
        changed: (urgent) => this.replan(urgent),
        status: (view) => this.statusOf(view),
      },
      opts.scope ?? 'listening',
    );
    this.first = new Promise((r) => {
      this.resolveFirst = r;
    });
  }

  /** Begin polling; the first poll runs immediately. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.allPaused()) this.kick();
  }

  /** Stop timers and abort a poll in flight. Idempotent. */
  stop(): void {
    this.running = false;
    this.clearTimer();
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleTimer = null;
    this.abort?.abort(new Error('monitor stopped'));
  }

  /** Change the interval for everyone; the next poll is rescheduled from the last one's start. */
  setIntervalMs(ms: number): number {
    if (!Number.isInteger(ms) || ms < 50) throw new RangeError(`invalid interval ${ms}`);
    this.intervalMs = ms;
    this.reschedule();
    this.views.pushStatus();
    return ms;
  }

  /** The poll interval in force (the saved setting or --interval), whatever the views do. */
  intervalMsNow(): number {
    return this.intervalMs;
  }

  /** The scope the next poll collects: what the observed, unpaused views need together. */
  polledScope(): Scope {
    return this.views.polledScope();
  }

  /** The latest full poll (every view's rows), copied so callers cannot change the monitor's state. */
  current(): Snapshot | null {
    return this.snapshot ? structuredClone(this.snapshot) : null;
  }

  /** The snapshot once the first poll is done (a copy made when asked, not kept). */
  ready(): Promise<Snapshot> {
    return this.first.then(() => this.current() as Snapshot);
  }

  /** Poll now, or join the poll already in flight. */
  pollNow(): Promise<Snapshot> {
    return this.startPoll().then(() => this.current() as Snapshot);
  }

  /**
   * Add a view. Its listener gets a 'snapshot' of the view first (at once when a poll is done, else
   * after the first poll: never a delta that claims everything just appeared), then its deltas.
   */
  subscribe(listener: (ev: MonitorEvent) => void): MonitorView;
  subscribe(options: ViewOptions, listener: (ev: MonitorEvent) => void): MonitorView;
  subscribe(a: ViewOptions | ((ev: MonitorEvent) => void), b?: (ev: MonitorEvent) => void): MonitorView {
    if (typeof a === 'function') return this.views.add({}, a);
    return this.views.add(a, b as (ev: MonitorEvent) => void);
  }

  hasSeen(identity: ProcessIdentity): boolean {
    const at = this.seen.get(`${identity.pid}|${identity.startId}`);
    return at !== undefined && Date.now() - at <= SEEN_MS;
  }

  processFor(pid: number): ProcessInfo | null {
    return this.procs.get(pid) ?? this.engine.processFor?.(pid) ?? null;
  }

  /**
   * CPU and memory of a process the table shows, sampled now: polls never sample them (a quiet
   * machine would pay for every holder each refresh), the details panel asks for the one it shows.
   */
  async usageOf(pid: number): Promise<ProcessInfo | null> {
    const shown = this.processFor(pid);
    if (!shown) return null;
    return (await this.engine.usage?.(pid)) ?? shown;
  }

  private allPaused(): boolean {
    return this.views.allPaused();
  }

  private effectiveInterval(): number {
    return this.views.observed() ? this.intervalMs : Math.max(this.idleIntervalMs, this.intervalMs);
  }

  /** The status as one view sees it (null: the monitor as a whole). */
  private statusOf(view: { paused: boolean; scope: Scope } | null): MonitorStatus {
    const paused = view ? view.paused : this.allPaused();
    const stale =
      this.running &&
      !paused &&
      !this.allPaused() &&
      this.lastSuccess !== null &&
      Date.now() - this.lastSuccess > 2 * this.effectiveInterval();
    return {
      state: paused ? 'paused' : 'polling',
      intervalMs: this.intervalMs,
      scope: view ? view.scope : this.polledScope(),
      lastUpdate: this.snapshot?.takenAt ?? null,
      stale,
      errors: this.errors,
      observed: this.views.observed(),
      source: this.engine.sourceName?.(),
    };
  }

  /** The monitor as a whole: paused when every view is, the scope it polls. */
  status(): MonitorStatus {
    return this.statusOf(null);
  }

  /** After the views changed: poll at once when the polled scope must change, else reschedule. */
  private replan(urgent = false): void {
    if (!this.running) return;
    if (this.allPaused()) {
      this.clearTimer();
      return;
    }
    // Only widening is urgent: a view that now shows all sockets waits for them; a narrower poll can wait.
    const widen = this.snapshot !== null && this.snapshot.scope !== 'all' && this.polledScope() === 'all';
    if (urgent || widen || (!this.inflight && !this.timer)) this.kick();
    else this.reschedule();
  }

  /** The poll in flight, or a new one; resolves to the internal snapshot (never handed out). */
  private startPoll(): Promise<Snapshot> {
    if (!this.inflight) {
      const p: Promise<Snapshot> = this.poll().finally(() => {
        if (this.inflight === p) this.inflight = null;
        this.afterPoll();
      });
      this.inflight = p;
    }
    return this.inflight;
  }

  private async poll(): Promise<Snapshot> {
    const scope = this.polledScope();
    this.lastStart = Date.now();
    const ac = new AbortController();
    this.abort = ac;
    let rows: SocketRow[];
    let byKey: ReadonlyMap<string, SocketRow> | undefined;
    let errors: SourceError[];
    try {
      ({ rows, errors, byKey } = await this.engine.collect(scope, ac.signal));
    } catch (err) {
      rows = [];
      errors = [
        { source: 'engine', tool: 'engine', kind: 'failed', message: String((err as Error)?.message ?? err) },
      ];
    }
    // Stopped while this poll ran: its abort is not a failure to report.
    if (!this.running && ac.signal.aborted && this.snapshot) {
      this.inflight = null;
      return this.snapshot;
    }
    const takenAt = Date.now();
    // Every source failed: keep the last rows (marked stale by time) rather than empty the table.
    const failedAll = rows.length === 0 && errors.length > 0;
    const keepLast = failedAll && scope === this.snapshot?.scope;
    // The engine's own map of this poll when it gives one (it never changes it afterwards).
    const next = keepLast ? this.rows : (byKey ?? new Map(rows.map((r) => [r.key, r])));
    if (!failedAll) this.lastSuccess = takenAt;
    const prev = this.rows;
    // The engine's very map again: nothing changed, and nothing is walked to find that out.
    // The engine's idle path replaced a few rows of that map (traffic): the diff is those rows.
    const patched = next instanceof PatchedRows && next.madeFrom(prev);
    const diff =
      next === prev
        ? { added: [], removed: [], changed: [] }
        : patched
          ? { added: [], removed: [], changed: next.delta.filter((r) => !sameAsBefore(prev, r)) }
          : diffRows(prev, next);
    this.rows = next;
    this.errors = errors;
    this.seq++;
    this.snapshot = { seq: this.seq, takenAt, scope, rows: keepLast ? [...next.values()] : rows, errors };
    // Replaced rows keep their owners (only traffic moved): the same processes are shown.
    this.remember(takenAt, next === prev || patched);
    // Done: a pollNow() from a listener below starts a fresh poll instead of joining this one.
    this.inflight = null;
    if (this.seq === 1) this.resolveFirst();
    this.views.deliverAll(prev, diff);
    this.views.pushStatus();
    if (diff.added.length + diff.removed.length + diff.changed.length >= BURST_ROWS) compactSoon();
    this.armStaleCheck();
    return this.snapshot;
  }

  private remember(now: number, same: boolean): void {
    if (same) {
      // The same rows: the same processes; only their "seen" time moves on.
      for (const [pid, p] of this.procs) this.seen.set(`${pid}|${p.startId}`, now);
    } else this.rememberRows(now);
    for (const [k, at] of this.seen) if (now - at > SEEN_MS) this.seen.delete(k);
  }

  private rememberRows(now: number): void {
    this.procs.clear();
    for (const r of this.rows.values()) {
      // Every holder counts as shown (a pre-fork server's workers too); once per process, not per
      // socket: a server with thousands of sockets is one identity.
      for (const o of r.owners) {
        if (!o.process || this.procs.has(o.pid)) continue;
        this.procs.set(o.pid, o.process);
        this.seen.set(`${o.pid}|${o.process.startId}`, now);
      }
    }
  }

  /** After a poll: poll again at once if a view needs all sockets meanwhile, else wait for the interval. */
  private afterPoll(): void {
    if (!this.running || this.allPaused()) return;
    if (this.snapshot && this.snapshot.scope !== 'all' && this.polledScope() === 'all') this.kick();
    else this.reschedule();
  }

  private kick(): void {
    this.clearTimer();
    void this.startPoll();
  }

  private reschedule(): void {
    if (!this.running || this.allPaused() || this.inflight) return;
    this.clearTimer();
    const wait = Math.max(0, this.lastStart + this.effectiveInterval() - Date.now());
    // Not unref'd: a started monitor is work in progress and keeps a plain Node process alive
    // (like setInterval) until stop().
    this.timer = setTimeout(() => this.kick(), wait);
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Push a status when the data turns stale without a poll finishing (a hung tool). */
  private armStaleCheck(): void {
    if (!this.running) {
      if (this.staleTimer) clearTimeout(this.staleTimer);
      this.staleTimer = null;
      return;
    }
    const wait = 2 * this.effectiveInterval() + 20;
    // The same wait as last poll's (the usual case): re-arm that timer, no new one per poll.
    if (this.staleTimer && this.staleWait === wait) {
      this.staleTimer.refresh();
      return;
    }
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleWait = wait;
    this.staleTimer = setTimeout(() => this.views.pushStatus(), wait);
    this.staleTimer.unref?.();
  }
}

/** `row` equals the row of the same key in `prev` (a replaced row whose counters did not move). */
function sameAsBefore(prev: ReadonlyMap<string, SocketRow>, row: SocketRow): boolean {
  const old = prev.get(row.key);
  return old !== undefined && sameRow(old, row);
}
