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
import { diffRows } from './diff';

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
  scope?: Scope;
}

/** How long an identity counts as "seen" after it left the table (kill re-checks use this). */
const SEEN_MS = 60_000;

/**
 * Polls the engine, diffs each snapshot against the last one and pushes deltas with a sequence
 * number. One poll in flight at a time; failures become errors on the status, not an empty table.
 */
export class Monitor {
  private readonly engine: Engine;
  private intervalMs: number;
  private readonly idleIntervalMs: number;
  private scope: Scope;
  private paused = false;
  private running = false;
  private observed = true;
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
  private lastStatus = '';
  private readonly listeners = new Set<(ev: MonitorEvent) => void>();
  private readonly seen = new Map<string, number>();
  private readonly procs = new Map<number, ProcessInfo>();
  private readonly first: Promise<Snapshot>;
  private resolveFirst!: (s: Snapshot) => void;

  constructor(opts: MonitorOptions = {}) {
    this.engine =
      opts.engine ?? createEngine(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {});
    this.intervalMs = opts.intervalMs ?? 1000;
    this.idleIntervalMs = opts.idleIntervalMs ?? 5000;
    this.scope = opts.scope ?? 'listening';
    this.first = new Promise((r) => {
      this.resolveFirst = r;
    });
  }

  /** Begin polling; the first poll runs immediately. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (!this.paused) this.kick();
  }

  /** Stop timers and abort a poll in flight. Idempotent. */
  stop(): void {
    this.running = false;
    this.clearTimer();
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleTimer = null;
    this.abort?.abort(new Error('monitor stopped'));
  }

  pause(): MonitorStatus {
    this.paused = true;
    this.clearTimer();
    return this.pushStatus();
  }

  resume(): MonitorStatus {
    const was = this.paused;
    this.paused = false;
    if (was && this.running) this.kick();
    return this.pushStatus();
  }

  /** Change the (observed) interval; the next poll is rescheduled from the last one's start. */
  setIntervalMs(ms: number): MonitorStatus {
    if (!Number.isInteger(ms) || ms < 50) throw new RangeError(`invalid interval ${ms}`);
    this.intervalMs = ms;
    this.reschedule();
    return this.pushStatus();
  }

  /** Change the scope and poll immediately (after the poll in flight, if any). */
  setScope(scope: Scope): MonitorStatus {
    if (scope !== this.scope) {
      this.scope = scope;
      if (this.running && !this.paused) this.kick();
    }
    return this.pushStatus();
  }

  /** Nobody watching → poll at idleIntervalMs; watched again → back to intervalMs at once. */
  setObserved(observed: boolean): void {
    if (observed === this.observed) return;
    this.observed = observed;
    this.reschedule();
    this.pushStatus();
  }

  status(): MonitorStatus {
    const effective = this.effectiveInterval();
    const stale =
      this.running &&
      !this.paused &&
      this.lastSuccess !== null &&
      Date.now() - this.lastSuccess > 2 * effective;
    return {
      state: this.paused ? 'paused' : 'polling',
      intervalMs: this.intervalMs,
      scope: this.scope,
      lastUpdate: this.snapshot?.takenAt ?? null,
      stale,
      errors: this.errors,
      observed: this.observed,
      source: this.engine.sourceName?.(),
    };
  }

  /** The latest full snapshot, rows copied so callers cannot change the monitor's state. */
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

  subscribe(listener: (ev: MonitorEvent) => void): () => void {
    this.listeners.add(listener);
    const snap = this.current();
    if (snap) listener({ type: 'snapshot', snapshot: snap });
    return () => {
      this.listeners.delete(listener);
    };
  }

  hasSeen(identity: ProcessIdentity): boolean {
    const at = this.seen.get(`${identity.pid}|${identity.startId}`);
    return at !== undefined && Date.now() - at <= SEEN_MS;
  }

  processFor(pid: number): ProcessInfo | null {
    return this.procs.get(pid) ?? this.engine.processFor?.(pid) ?? null;
  }

  private effectiveInterval(): number {
    return this.observed ? this.intervalMs : Math.max(this.idleIntervalMs, this.intervalMs);
  }

  private async poll(): Promise<Snapshot> {
    const scope = this.scope;
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
    const diff = diffRows(this.rows, next);
    const errorsChanged = JSON.stringify(errors) !== JSON.stringify(this.errors);
    this.rows = next;
    this.errors = errors;
    this.seq++;
    this.snapshot = { seq: this.seq, takenAt, scope, rows: keepLast ? [...next.values()] : rows, errors };
    this.remember(takenAt);
    const delta: Delta = { seq: this.seq, takenAt, ...diff };
    if (errorsChanged) delta.errors = errors;
    // Done: a pollNow() from a listener below starts a fresh poll instead of joining this one.
    this.inflight = null;
    if (this.seq === 1) this.resolveFirst(this.current() as Snapshot);
    this.emit({ type: 'delta', delta });
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

  /** After a poll: poll again at once if the scope changed meanwhile, else wait for the interval. */
  private afterPoll(): void {
    if (!this.running || this.paused) return;
    if (this.snapshot && this.snapshot.scope !== this.scope) this.kick();
    else this.reschedule();
  }

  private kick(): void {
    this.clearTimer();
    void this.startPoll();
  }

  private reschedule(): void {
    if (!this.running || this.paused || this.inflight) return;
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

  private pushStatus(): MonitorStatus {
    const status = this.status();
    const { lastUpdate: _omit, ...rest } = status;
    const sig = JSON.stringify(rest);
    if (sig !== this.lastStatus) {
      this.lastStatus = sig;
      this.emit({ type: 'status', status });
    }
    return status;
  }

  private emit(ev: MonitorEvent): void {
    for (const l of this.listeners) {
      try {
        l(ev);
      } catch {
        // one broken listener must not stop the others
      }
    }
  }
}
