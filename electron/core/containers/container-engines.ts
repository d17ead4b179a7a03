import { statSync } from 'node:fs';
import type { SourceError } from '../../../shared/model';
import { type EngineContainer, parseContainerList } from './container-list';
import { engineEvents, engineRequest } from './engine-http';
import { type EngineSocket, engineSockets } from './engine-sockets';

/** What the engines answered for one poll. */
export interface EngineState {
  containers: EngineContainer[];
  /** Which socket answered (the actions go to the same engine), null when none did. */
  socket: EngineSocket | null;
  /** Set only for permission denied: a quiet note, said once per state change. */
  note: SourceError | null;
}

export interface ContainerEnginesOptions {
  sockets?: EngineSocket[];
  now?: () => number;
  /** How long a container list is reused before the engine is asked again (default 2 s). */
  listTtlMs?: number;
  /** First wait after no engine answered; doubles up to maxBackoffMs (default 5 s → 60 s). */
  backoffMs?: number;
  maxBackoffMs?: number;
  request?: typeof engineRequest;
  /** Opens the engine's event stream (default engineEvents); null: never follow events. */
  events?: typeof engineEvents | null;
  /** How long a list is reused while the engine's events are followed (default 60 s). */
  watchedTtlMs?: number;
}

/** Bumped by every container action: each engine's cached list is then stale, whoever owns it. */
let generation = 0;

/** Make every cached container list stale (a container was stopped or restarted). */
export function invalidateContainerLists(): void {
  generation++;
}

const EMPTY: EngineState = { containers: [], socket: null, note: null };

/**
 * The container engines of this machine, asked at most once per poll. No engine running is the
 * common case and must cost nothing: a candidate socket that does not exist costs one stat (no
 * connect, no node:http load); one that exists but refuses is one failed connect. The outcome is
 * cached, and the next try waits 5 s, then 10, 20 … 60 s. Permission denied on a
 * socket is remembered the same way and reported as a quiet note, never as a failure.
 *
 * A running engine costs nothing while no container changes either: a process that asks for the
 * list a second time (a monitor, not a one-shot CLI command) follows the engine's container events
 * (`GET /events`, one connection kept open), and then asks for the list again only after an event,
 * or after 60 s as a safety net, instead of every 2 s. Without the stream (it ended, the engine
 * refused it) the 2 s list is back, and the stream is tried again after 30 s.
 */
export class ContainerEngines {
  private readonly sockets: EngineSocket[];
  private readonly now: () => number;
  private readonly ttl: number;
  private readonly backoff0: number;
  private readonly maxBackoff: number;
  private readonly request: typeof engineRequest;
  private state: EngineState = EMPTY;
  private fetchedAt = Number.NEGATIVE_INFINITY;
  private retryAt = 0;
  private backoff: number;
  private inflight: Promise<EngineState> | null = null;
  private seenGeneration = generation;
  /** Connect attempts made so far (the bench and tests read it). */
  attempts = 0;
  private readonly statFirst: boolean;
  private readonly events: typeof engineEvents | null;
  private readonly watchedTtl: number;
  /** The open event stream: the socket it follows and how to close it. */
  private watch: { path: string; close: () => void } | null = null;
  private watchOpening = false;
  private watchRetryAt = 0;
  private fetches = 0;
  /** Event streams opened so far (tests read it). */
  watchesOpened = 0;

  constructor(opts: ContainerEnginesOptions = {}) {
    this.sockets = opts.sockets ?? engineSockets();
    this.now = opts.now ?? Date.now;
    this.ttl = opts.listTtlMs ?? 2000;
    this.backoff0 = opts.backoffMs ?? 5000;
    this.maxBackoff = opts.maxBackoffMs ?? 60_000;
    this.backoff = this.backoff0;
    this.request = opts.request ?? engineRequest;
    // An injected request (tests) talks to no file: connect straight away.
    this.statFirst = opts.request === undefined;
    this.events = opts.events !== undefined ? opts.events : opts.request === undefined ? engineEvents : null;
    this.watchedTtl = opts.watchedTtlMs ?? 60_000;
  }

  /** Stop following events (the list falls back to its 2 s time-to-live). */
  close(): void {
    this.watch?.close();
    this.watch = null;
  }

  /**
   * The running containers. `fresh`: ignore the list's time-to-live (a new docker-proxy appeared,
   * an action wants to re-check); the backoff after a failure still holds unless `force`.
   */
  async list(fresh = false, force = false): Promise<EngineState> {
    const t = this.now();
    if (this.seenGeneration !== generation) {
      this.seenGeneration = generation;
      fresh = true;
      force = true;
    }
    if (!force && this.state.socket === null && t < this.retryAt) return this.state;
    const ttl = this.watch && this.watch.path === this.state.socket?.path ? this.watchedTtl : this.ttl;
    if (!fresh && !force && this.state.socket !== null && t - this.fetchedAt < ttl) return this.state;
    this.inflight ??= this.fetch().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  /** The engine that answered last (for actions), or null. */
  current(): EngineState {
    return this.state;
  }

  /** Synchronous on purpose: a few µs, where the thread pool's first use costs ms on a busy box. */
  private exists(path: string): 'present' | 'absent' | 'denied' {
    if (!this.statFirst) return 'present';
    try {
      statSync(path);
      return 'present';
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      return code === 'EACCES' || code === 'EPERM' ? 'denied' : 'absent';
    }
  }

  private async fetch(): Promise<EngineState> {
    let denied: { socket: EngineSocket; message: string } | null = null;
    // The socket that answered last is tried first: one connect per poll when an engine runs.
    const order = this.state.socket
      ? [this.state.socket, ...this.sockets.filter((s) => s.path !== this.state.socket?.path)]
      : this.sockets;
    for (const socket of order) {
      // No socket file: no engine there. A stat costs a fraction of loading node:http and a
      // failed connect (measured on the loaded 2-core box: stat < 1 ms, require('node:http')
      // 60-100 ms, a failed connect 40 ms), so the CLI pays nothing where no engine is installed.
      const exists = this.exists(socket.path);
      if (exists === 'absent') continue;
      if (exists === 'denied') {
        denied ??= { socket, message: `permission denied on ${socket.path}` };
        continue;
      }
      this.attempts++;
      try {
        const res = await this.request(socket.path, 'GET', '/containers/json');
        if (res.status !== 200) continue;
        this.state = { containers: parseContainerList(res.body, socket.engine), socket, note: null };
        this.fetchedAt = this.now();
        this.backoff = this.backoff0;
        // The second list of this process: it polls, so follow events instead of asking again.
        if (++this.fetches >= 2) this.follow(socket.path);
        return this.state;
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if ((code === 'EACCES' || code === 'EPERM') && !denied)
          denied = { socket, message: `permission denied on ${socket.path}` };
      }
    }
    this.retryAt = this.now() + this.backoff;
    this.backoff = Math.min(this.backoff * 2, this.maxBackoff);
    this.state = { ...EMPTY, note: denied ? permissionNote(denied.socket, denied.message) : null };
    return this.state;
  }

  /** Open the event stream of the engine at `path` unless one is open or a retry is not due. */
  private follow(path: string): void {
    if (!this.events || this.watchOpening || this.now() < this.watchRetryAt) return;
    if (this.watch?.path === path) return;
    this.watch?.close();
    this.watch = null;
    this.watchOpening = true;
    const stale = () => {
      this.fetchedAt = Number.NEGATIVE_INFINITY;
    };
    let entry: { path: string; close: () => void } | null = null;
    let ended = false;
    this.events(path, stale, () => {
      ended = true;
      if (entry && this.watch === entry) this.watch = null;
      this.watchRetryAt = this.now() + 30_000;
      stale(); // what changed while nobody listened is read at the next poll
    })
      .then((close) => {
        entry = { path, close };
        if (ended) return;
        this.watch = entry;
        this.watchesOpened++;
      })
      .catch(() => {
        this.watchRetryAt = this.now() + 30_000;
      })
      .finally(() => {
        this.watchOpening = false;
      });
  }
}

function permissionNote(socket: EngineSocket, message: string): SourceError {
  const group = socket.engine === 'docker' ? 'docker' : 'podman';
  return {
    source: 'containers',
    tool: socket.path,
    kind: 'permission',
    message: `Containers are not named: ${message}.`,
    hint: `Add your user to the ${group} group (or run Portscope as root) to see which container publishes a port.`,
  };
}
