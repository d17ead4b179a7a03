import { statSync } from 'node:fs';
import type { SourceError } from '../../../shared/model';
import { type EngineContainer, parseContainerList } from './container-list';
import { engineRequest } from './engine-http';
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
    if (!fresh && !force && this.state.socket !== null && t - this.fetchedAt < this.ttl) return this.state;
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
