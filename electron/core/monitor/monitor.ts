import type {
  Delta,
  MonitorStatus,
  ProcessIdentity,
  ProcessInfo,
  Scope,
  Snapshot,
  SocketRow,
  SourceError,
} from '../../../shared/model';
import { createEngine, type Engine } from '../engine/engine';
import { diffRows, type RowDiff } from './diff';
import { diffViews, filterDiff, viewOf } from './view-delta';

export type MonitorEvent =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'delta'; delta: Delta }
  | { type: 'status'; status: MonitorStatus };

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

/** What a subscriber asks for. */
export interface ViewOptions {
  scope?: Scope;
  /**
   * Someone looks at this view (a visible window, a connected tab): default true. Views nobody
   * looks at (the tray, the watchers, a hidden window) get the slow idle interval and never make
   * the monitor collect 'all'.
   */
  observed?: boolean;
}

/** One subscriber's view: its own scope, pause, sequence numbers and status. */
export interface MonitorView {
  /** Change this view's scope; the rows that enter or leave it come as a delta at once. */
  setScope(scope: Scope): MonitorStatus;
  /** Freeze this view (no deltas) until resume(); other views go on. */
  pause(): MonitorStatus;
  /** Unfreeze: one delta from the frozen view to the current one. */
  resume(): MonitorStatus;
  setObserved(observed: boolean): void;
  status(): MonitorStatus;
  /** This view's rows with this view's seq (the base its next delta applies to); null before the first poll. */
  snapshot(): Snapshot | null;
  /** The first snapshot of this view. */
  ready(): Promise<Snapshot>;
  close(): void;
}

interface Client {
  scope: Scope;
  observed: boolean;
  paused: boolean;
  seq: number;
  /** The monitor's rows when this view last got a delta, and the scope it had then. */
  base: ReadonlyMap<string, SocketRow> | null;
  baseScope: Scope;
  baseTakenAt: number;
  errorsSig: string;
  statusSig: string;
  listener: (ev: MonitorEvent) => void;
  waiters: ((s: Snapshot) => void)[];
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
  private readonly defaultScope: Scope;
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
  private readonly clients = new Set<Client>();
  private readonly seen = new Map<string, number>();
  private readonly procs = new Map<number, ProcessInfo>();
  private readonly first: Promise<Snapshot>;
  private resolveFirst!: (s: Snapshot) => void;

  constructor(opts: MonitorOptions = {}) {
    this.engine =
      opts.engine ?? createEngine(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {});
    this.intervalMs = opts.intervalMs ?? 1000;
    this.idleIntervalMs = opts.idleIntervalMs ?? 5000;
    this.defaultScope = opts.scope ?? 'listening';
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
    this.pushStatus();
    return ms;
  }

  intervalMsNow(): number {
    return this.intervalMs;
  }

  /** The scope the next poll collects: what the observed, unpaused views need together. */
  polledScope(): Scope {
    for (const c of this.clients) if (c.observed && !c.paused && c.scope === 'all') return 'all';
    return 'listening';
  }

  /** The latest full poll (every view's rows), copied so callers cannot change the monitor's state. */
  current(): Snapshot | null {
    return this.snapshot ? structuredClone(this.snapshot) : null;
  }

  ready(): Promise<Snapshot> {
    return this.first;
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
    const options = typeof a === 'function' ? {} : a;
    const listener = typeof a === 'function' ? a : (b as (ev: MonitorEvent) => void);
    const c: Client = {
      scope: options.scope ?? this.defaultScope,
      observed: options.observed ?? true,
      paused: false,
      seq: 0,
      base: null,
      baseScope: options.scope ?? this.defaultScope,
      baseTakenAt: 0,
      errorsSig: '',
      statusSig: '',
      listener,
      waiters: [],
    };
    this.clients.add(c);
    if (this.snapshot) this.deliver(c, this.snapshot.takenAt);
    this.replan();
    return this.viewHandle(c);
  }

  hasSeen(identity: ProcessIdentity): boolean {
    const at = this.seen.get(`${identity.pid}|${identity.startId}`);
    return at !== undefined && Date.now() - at <= SEEN_MS;
  }

  processFor(pid: number): ProcessInfo | null {
    return this.procs.get(pid) ?? this.engine.processFor?.(pid) ?? null;
  }

  private viewHandle(c: Client): MonitorView {
    return {
      setScope: (scope) => {
        if (scope !== c.scope) {
          c.scope = scope;
          if (!c.paused && this.snapshot) this.deliver(c, this.snapshot.takenAt);
          this.replan();
        }
        return this.pushStatus(c);
      },
      pause: () => {
        c.paused = true;
        this.replan();
        this.pushStatus();
        return this.statusOf(c);
      },
      resume: () => {
        if (c.paused) {
          c.paused = false;
          if (this.snapshot) this.deliver(c, this.snapshot.takenAt);
          this.replan(true);
          this.pushStatus();
        }
        return this.statusOf(c);
      },
      setObserved: (observed) => {
        if (observed === c.observed) return;
        c.observed = observed;
        this.replan();
        this.pushStatus();
      },
      status: () => this.statusOf(c),
      snapshot: () => this.viewSnapshot(c),
      ready: () => {
        const snap = this.viewSnapshot(c);
        return snap ? Promise.resolve(snap) : new Promise((r) => c.waiters.push(r));
      },
      close: () => {
        if (!this.clients.delete(c)) return;
        this.replan();
        this.pushStatus();
      },
    };
  }

  private viewSnapshot(c: Client): Snapshot | null {
    if (!c.base) return null;
    const rows = [...viewOf(c.base, c.baseScope).values()];
    return structuredClone({
      seq: c.seq,
      takenAt: c.baseTakenAt,
      scope: c.baseScope,
      rows,
      errors: this.errors,
    });
  }

  /**
   * Bring one view up to the monitor's rows. `diff` is the monitor's own diff from `prev` when this
   * poll just ran: a view that held viewOf(prev) only filters it; any other view is diffed in full.
   */
  private deliver(c: Client, takenAt: number, prev?: ReadonlyMap<string, SocketRow>, diff?: RowDiff): void {
    const next = this.rows;
    const errorsSig = JSON.stringify(this.errors);
    if (!c.base) {
      c.base = next;
      c.baseScope = c.scope;
      c.baseTakenAt = takenAt;
      c.errorsSig = errorsSig;
      c.seq++;
      const snap = this.viewSnapshot(c) as Snapshot;
      for (const w of c.waiters.splice(0)) w(snap);
      this.send(c, { type: 'snapshot', snapshot: snap });
      return;
    }
    if (c.paused) return;
    const inSync = diff && prev === c.base && c.baseScope === c.scope;
    const d = inSync ? filterDiff(prev, diff, c.scope) : diffViews(c.base, c.baseScope, next, c.scope);
    const quiet = d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
    // A scope change that shows the same rows needs no delta; a poll always sends one (its takenAt).
    if (!diff && quiet && errorsSig === c.errorsSig) {
      c.baseScope = c.scope;
      c.base = next;
      return;
    }
    c.base = next;
    c.baseScope = c.scope;
    c.baseTakenAt = takenAt;
    c.seq++;
    const delta: Delta = { seq: c.seq, takenAt, ...d };
    if (errorsSig !== c.errorsSig) delta.errors = this.errors;
    c.errorsSig = errorsSig;
    this.send(c, { type: 'delta', delta });
  }

  private send(c: Client, ev: MonitorEvent): void {
    try {
      c.listener(ev);
    } catch {
      // one broken listener must not stop the others
    }
  }

  private allPaused(): boolean {
    if (this.clients.size === 0) return false;
    for (const c of this.clients) if (!c.paused) return false;
    return true;
  }

  /** Someone looks at an unpaused view: poll at the full rate. */
  private observed(): boolean {
    for (const c of this.clients) if (c.observed && !c.paused) return true;
    return false;
  }

  private effectiveInterval(): number {
    return this.observed() ? this.intervalMs : Math.max(this.idleIntervalMs, this.intervalMs);
  }

  private statusOf(c: Client | null): MonitorStatus {
    const paused = c ? c.paused : this.allPaused();
    const stale =
      this.running &&
      !paused &&
      !this.allPaused() &&
      this.lastSuccess !== null &&
      Date.now() - this.lastSuccess > 2 * this.effectiveInterval();
    return {
      state: paused ? 'paused' : 'polling',
      intervalMs: this.intervalMs,
      scope: c ? c.scope : this.polledScope(),
      lastUpdate: this.snapshot?.takenAt ?? null,
      stale,
      errors: this.errors,
      observed: this.observed(),
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
    const diff = diffRows(prev, next);
    this.rows = next;
    this.errors = errors;
    this.seq++;
    this.snapshot = { seq: this.seq, takenAt, scope, rows: keepLast ? [...next.values()] : rows, errors };
    this.remember(takenAt);
    // Done: a pollNow() from a listener below starts a fresh poll instead of joining this one.
    this.inflight = null;
    if (this.seq === 1) this.resolveFirst(this.current() as Snapshot);
    for (const c of [...this.clients]) this.deliver(c, takenAt, prev, diff);
    this.pushStatus();
    this.armStaleCheck();
    return this.snapshot;
  }

  private remember(now: number): void {
    this.procs.clear();
    for (const r of this.rows.values()) {
      // Once per process, not per socket: a server with thousands of sockets is one identity.
      if (r.pid === null || !r.process || this.procs.has(r.pid)) continue;
      this.procs.set(r.pid, r.process);
      this.seen.set(`${r.pid}|${r.process.startId}`, now);
    }
    for (const [k, at] of this.seen) if (now - at > SEEN_MS) this.seen.delete(k);
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
    if (this.staleTimer) clearTimeout(this.staleTimer);
    if (!this.running) return;
    this.staleTimer = setTimeout(() => this.pushStatus(), 2 * this.effectiveInterval() + 20);
    this.staleTimer.unref?.();
  }

  /** Push each view its status when it changed (lastUpdate alone is no news: deltas carry it). */
  private pushStatus(): MonitorStatus;
  private pushStatus(only: Client): MonitorStatus;
  private pushStatus(only?: Client): MonitorStatus {
    for (const c of only ? [only] : [...this.clients]) {
      const status = this.statusOf(c);
      const { lastUpdate: _omit, ...rest } = status;
      const sig = JSON.stringify(rest);
      if (sig === c.statusSig) continue;
      c.statusSig = sig;
      this.send(c, { type: 'status', status });
    }
    return only ? this.statusOf(only) : this.status();
  }
}
