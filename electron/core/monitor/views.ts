import type { Delta, MonitorStatus, Scope, Snapshot, SocketRow, SourceError } from '../../../shared/model';
import type { RowDiff } from './diff';
import { diffViews, filterDiff, viewOf } from './view-delta';

/**
 * The monitor's subscribers, each with its own view: scope, pause, seq, the rows it was last sent
 * and the status it last heard. The monitor polls; this set decides what each view is told.
 */

export type MonitorEvent =
  | { type: 'snapshot'; snapshot: Snapshot }
  | { type: 'delta'; delta: Delta }
  | { type: 'status'; status: MonitorStatus };

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
  /**
   * Change this view's scope; the rows that enter or leave it come as a delta at once — unless
   * `resync`: the subscriber fetches a fresh snapshot next, and gets no delta until it has.
   */
  setScope(scope: Scope, options?: { resync?: boolean }): MonitorStatus;
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
  /**
   * This view's rows once a poll covers its scope (a view that just switched to 'all' waits for the
   * poll that collects every socket, instead of getting the listeners now and the rest as one huge
   * delta). No delta is pushed to the view while it waits: the snapshot supersedes them. The rows
   * are the monitor's own (not copied, like a delta's): serialise them, never change them.
   */
  freshSnapshot(): Promise<Snapshot>;
  close(): void;
}

/** What the views need from the monitor. */
export interface ViewHost {
  /** The last poll's rows, errors and time; null before the first poll. */
  latest(): {
    rows: ReadonlyMap<string, SocketRow>;
    errors: SourceError[];
    takenAt: number;
    /** The scope that poll collected. */
    scope: Scope;
  } | null;
  /** The views changed (scope, pause, observed, one came or went): poll now or reschedule. */
  changed(urgent: boolean): void;
  /** The status as one view sees it. */
  status(view: { paused: boolean; scope: Scope }): MonitorStatus;
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
  /** freshSnapshot() calls under way: deltas are held back (the snapshot carries them). */
  awaiting: number;
  /** Set by setScope(…, { resync }): no deltas until the next freshSnapshot() has answered. */
  holding: boolean;
  /** freshSnapshot() calls waiting for a poll that covers the view's scope. */
  coverWaiters: (() => void)[];
}

/** How long the monitor goes on collecting every socket after the last view that showed them went. */
export const ALL_LINGER_MS = 15_000;

/** The longest freshSnapshot() waits for a covering poll before it answers with what there is. */
const COVER_WAIT_MS = 8000;

export class ViewSet {
  private readonly clients = new Set<Client>();

  constructor(
    private readonly host: ViewHost,
    private readonly defaultScope: Scope,
  ) {}

  /** Add a view; it gets its snapshot at once when a poll is done (else after the first poll). */
  add(options: ViewOptions, listener: (ev: MonitorEvent) => void): MonitorView {
    const scope = options.scope ?? this.defaultScope;
    const c: Client = {
      scope,
      observed: options.observed ?? true,
      paused: false,
      seq: 0,
      base: null,
      baseScope: scope,
      baseTakenAt: 0,
      errorsSig: '',
      statusSig: '',
      listener,
      waiters: [],
      awaiting: 0,
      holding: false,
      coverWaiters: [],
    };
    this.clients.add(c);
    if (this.host.latest()) this.deliver(c);
    this.host.changed(false);
    return this.handle(c);
  }

  /** When an observed, unpaused view last showed all sockets (ms since the epoch). */
  private allSeenAt = Number.NEGATIVE_INFINITY;

  /**
   * The scope the next poll collects: 'all' if an observed, unpaused view shows all — and for
   * ALL_LINGER_MS after the last one went: a reload, or a tab closed and opened again, then finds
   * every socket already polled instead of waiting for a cold poll of all of them.
   */
  polledScope(): Scope {
    for (const c of this.clients) {
      if (c.observed && !c.paused && c.scope === 'all') {
        this.allSeenAt = Date.now();
        return 'all';
      }
    }
    return Date.now() - this.allSeenAt < ALL_LINGER_MS && !this.allPaused() ? 'all' : 'listening';
  }

  /** Every view is paused (and there is at least one): nobody needs a poll. */
  allPaused(): boolean {
    if (this.clients.size === 0) return false;
    for (const c of this.clients) if (!c.paused) return false;
    return true;
  }

  /** Someone looks at an unpaused view: poll at the full rate. */
  observed(): boolean {
    for (const c of this.clients) if (c.observed && !c.paused) return true;
    return false;
  }

  /** After a poll: every view gets its part of the one diff (prev → the latest rows). */
  deliverAll(prev: ReadonlyMap<string, SocketRow>, diff: RowDiff): void {
    for (const c of [...this.clients]) this.deliver(c, prev, diff);
    for (const c of this.clients) this.checkCovered(c);
  }

  /**
   * The latest poll covers what this view shows — or no poll ever will (the view is paused, or
   * unobserved views never make the monitor collect 'all'): its waiting snapshots may answer.
   */
  private covered(c: Client): boolean {
    const latest = this.host.latest();
    if (!latest) return false;
    return c.scope !== 'all' || latest.scope === 'all' || this.polledScope() !== 'all';
  }

  private checkCovered(c: Client): void {
    if (c.coverWaiters.length > 0 && this.covered(c)) for (const w of c.coverWaiters.splice(0)) w();
  }

  private async freshSnapshot(c: Client): Promise<Snapshot> {
    c.awaiting++;
    try {
      if (!c.base) await new Promise<Snapshot>((r) => c.waiters.push(r));
      if (!this.covered(c)) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, COVER_WAIT_MS);
          timer.unref?.();
          c.coverWaiters.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
      c.holding = false;
      return this.snapshotOf(c, false) as Snapshot;
    } finally {
      c.awaiting--;
    }
  }

  /** Push each view its status when it changed (lastUpdate alone is no news: deltas carry it). */
  pushStatus(only?: Client): void {
    for (const c of only ? [only] : [...this.clients]) {
      const status = this.host.status(c);
      const { lastUpdate: _omit, ...rest } = status;
      const sig = JSON.stringify(rest);
      if (sig === c.statusSig) continue;
      c.statusSig = sig;
      this.send(c, { type: 'status', status });
    }
  }

  private handle(c: Client): MonitorView {
    const latest = () => this.host.latest() !== null;
    return {
      setScope: (scope, options) => {
        if (options?.resync) c.holding = true;
        if (scope !== c.scope) {
          c.scope = scope;
          if (!c.paused && latest()) this.deliver(c);
          this.host.changed(false);
          this.checkCovered(c);
        }
        this.pushStatus(c);
        return this.host.status(c);
      },
      pause: () => {
        c.paused = true;
        this.host.changed(false);
        this.checkCovered(c);
        this.pushStatus();
        return this.host.status(c);
      },
      resume: () => {
        if (c.paused) {
          c.paused = false;
          if (latest()) this.deliver(c);
          this.host.changed(true);
          this.pushStatus();
        }
        return this.host.status(c);
      },
      setObserved: (observed) => {
        if (observed === c.observed) return;
        c.observed = observed;
        this.host.changed(false);
        this.pushStatus();
      },
      status: () => this.host.status(c),
      snapshot: () => this.snapshotOf(c),
      ready: () => {
        const snap = this.snapshotOf(c);
        return snap ? Promise.resolve(snap) : new Promise((r) => c.waiters.push(r));
      },
      freshSnapshot: () => this.freshSnapshot(c),
      close: () => {
        if (!this.clients.delete(c)) return;
        for (const w of c.coverWaiters.splice(0)) w();
        this.host.changed(false);
        this.pushStatus();
      },
    };
  }

  /**
   * This view's rows. `copy` (the default) deep-copies them so an in-process caller cannot change
   * the monitor's rows; a transport that only serialises them (snapshot:get) skips the copy, as
   * deltas always do: rows are never changed after the engine made them.
   */
  private snapshotOf(c: Client, copy = true): Snapshot | null {
    if (!c.base) return null;
    const rows = [...viewOf(c.base, c.baseScope).values()];
    const errors = this.host.latest()?.errors ?? [];
    const snap = { seq: c.seq, takenAt: c.baseTakenAt, scope: c.baseScope, rows, errors };
    return copy ? structuredClone(snap) : snap;
  }

  /**
   * Bring one view up to the latest rows. `diff` is the monitor's own diff from `prev` when a poll
   * just ran: a view that held viewOf(prev) only filters it; any other view is diffed in full.
   */
  private deliver(c: Client, prev?: ReadonlyMap<string, SocketRow>, diff?: RowDiff): void {
    const latest = this.host.latest();
    if (!latest) return;
    const { rows: next, errors, takenAt } = latest;
    const errorsSig = JSON.stringify(errors);
    if (!c.base) {
      // The first thing a view hears is a snapshot, never a delta claiming everything just appeared.
      c.base = next;
      c.baseScope = c.scope;
      c.baseTakenAt = takenAt;
      c.errorsSig = errorsSig;
      c.seq++;
      // Built (a copy of every row of the view) only when someone reads it: the api's clients
      // fetch theirs with snapshot:get, and a copy of 25,000 rows per connect is memory for nothing.
      const [base, scope, seq] = [next, c.baseScope, c.seq];
      let snap: Snapshot | null = null;
      const build = () => {
        snap ??= structuredClone({ seq, takenAt, scope, rows: [...viewOf(base, scope).values()], errors });
        return snap;
      };
      for (const w of c.waiters.splice(0)) w(build());
      this.send(c, {
        type: 'snapshot',
        get snapshot() {
          return build();
        },
      });
      return;
    }
    if (c.paused) return;
    if (c.awaiting > 0 || c.holding) {
      // A snapshot is on its way to this view: move its base on quietly; the snapshot carries it all.
      c.base = next;
      c.baseScope = c.scope;
      c.baseTakenAt = takenAt;
      c.errorsSig = errorsSig;
      c.seq++;
      return;
    }
    const inSync = prev !== undefined && diff !== undefined && prev === c.base && c.baseScope === c.scope;
    const d = inSync ? filterDiff(prev, diff, c.scope) : diffViews(c.base, c.baseScope, next, c.scope);
    const quiet = d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
    // A scope change that shows the same rows needs no delta; a poll always sends one (its takenAt).
    if (!diff && quiet && errorsSig === c.errorsSig) {
      c.base = next;
      c.baseScope = c.scope;
      return;
    }
    c.base = next;
    c.baseScope = c.scope;
    c.baseTakenAt = takenAt;
    c.seq++;
    const delta: Delta = { seq: c.seq, takenAt, ...d };
    if (errorsSig !== c.errorsSig) delta.errors = errors;
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
}
