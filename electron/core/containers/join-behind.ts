import type { ContainerRef, ProcessInfo, SocketRow, SourceError } from '../../../shared/model';
import { holdsPort, isPortProxy } from '../../../shared/socket-rules';
import { type ProcFiles, procFiles } from '../supervisors/proc-read';
import { supervisorOf } from '../supervisors/supervisor-of';
import { containerIdFromCgroup } from './cgroup-container';
import { ContainerEngines, type EngineState } from './container-engines';
import type { EngineContainer, PublishedPort } from './container-list';
import { syntheticRow } from './synthetic-row';

/**
 * What is behind a port, joined into the engine's rows once per poll: the container that
 * publishes it (docker-proxy, rootlessport … or no host socket at all), the container a holder
 * runs in, the supervisor that restarts it. Linux only; elsewhere a no-op.
 */
export class BehindJoin {
  /** Container and supervisor per PID + start id: read once per process, not per poll. */
  private readonly known = new Map<
    string,
    Pick<ProcessInfo, 'container' | 'supervisor'> & { cid: string | null }
  >();
  private synthetic = new Map<string, SocketRow>();
  /** What the engines answered at the last join (containers, their ports, the note). */
  private lastSig = '';

  constructor(
    readonly engines = new ContainerEngines(),
    private readonly proc: ProcFiles = procFiles(),
  ) {}

  /** Annotate `rows` in place (rows[i] may be replaced by a copy; row objects are never mutated). */
  async join(rows: SocketRow[], errors: SourceError[]): Promise<void> {
    const procs = new Map<string, ProcessInfo>();
    const live = new Set<string>();
    let proxied = false;
    // A process holds many sockets (25,000 rows, three processes): look at each (pid, process) once.
    const seen = new Map<ProcessInfo, number>();
    for (const r of rows)
      for (const o of r.owners) {
        if (!o.process || seen.get(o.process) === o.pid) continue;
        seen.set(o.process, o.pid);
        const key = `${o.pid}|${o.process.startId}`;
        live.add(key);
        if (o.process.container === undefined) procs.set(key, o.process);
        if (isPortProxy(o.process.name)) proxied = true;
      }
    const fresh = await this.annotate(procs, live);
    // A new docker-proxy or a process in an unknown container: the cached list may be too old.
    const state = await this.engines.list(proxied && fresh.newProxyOrContainer);
    this.lastSig = signature(state);
    this.applyContainers(procs, state);
    // The same note object every poll: the monitor sends errors only when the set changes.
    if (state.note) errors.push(state.note);
    if (state.containers.length === 0 && this.synthetic.size === 0) return;
    const published = state.containers.flatMap((c) => c.ports);
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as SocketRow;
      const ref = publisherOf(row, published);
      if (sameRef(row.container ?? null, ref)) continue;
      rows[i] = { ...row, container: ref };
    }
    const next = new Map<string, SocketRow>();
    for (const p of published) {
      if (rows.some((r) => holdsPort(r, p.hostPort, p.protocol) && addressCovers(r.localAddress, p.hostIp)))
        continue;
      const row = syntheticRow(p, this.synthetic);
      next.set(row.key, row);
      rows.push(row);
    }
    this.synthetic = next;
  }

  /**
   * The engine's idle path (no socket changed): true when the engines still answer what the last
   * join used. A container that starts or stops publishing a port without a host socket
   * (userland-proxy off) changes no socket, only this. The engines' own cache makes it cheap.
   */
  async unchanged(): Promise<boolean> {
    return signature(await this.engines.list(false)) === this.lastSig;
  }

  /** Container id (cgroup) and supervisor of processes seen for the first time. */
  private async annotate(
    procs: Map<string, ProcessInfo>,
    live: ReadonlySet<string>,
  ): Promise<{ newProxyOrContainer: boolean }> {
    let newProxyOrContainer = false;
    await Promise.all(
      [...procs].map(async ([key, p]) => {
        let k = this.known.get(key);
        if (!k) {
          const pid = Number(key.split('|')[0]);
          const [cgroup, sup] = await Promise.all([this.proc.cgroup(pid), supervisorOf(pid, this.proc)]);
          k = { cid: cgroup ? containerIdFromCgroup(cgroup) : null, supervisor: sup?.ref ?? null };
          this.known.set(key, k);
          if (k.cid || isPortProxy(p.name)) newProxyOrContainer = true;
        }
        p.supervisor = k.supervisor ?? null;
      }),
    );
    // Forget processes no row holds any more (bounded memory on a busy machine).
    if (this.known.size > 2 * live.size + 256)
      for (const key of this.known.keys()) if (!live.has(key)) this.known.delete(key);
    return { newProxyOrContainer };
  }

  private applyContainers(procs: Map<string, ProcessInfo>, state: EngineState): void {
    for (const [key, p] of procs) {
      const cid = this.known.get(key)?.cid ?? null;
      if (!cid) {
        p.container = null;
        continue;
      }
      const c = state.containers.find((x) => x.fullId === cid);
      p.container = c?.ref ?? { id: cid.slice(0, 12), name: cid.slice(0, 12), image: '', engine: 'docker' };
    }
  }
}

/** What of an engine answer the rows depend on: containers, their published ports, the note. */
function signature(state: EngineState): string {
  const ports = (c: EngineContainer) =>
    c.ports
      .map((p) => `${p.protocol}/${p.hostIp}/${p.hostPort}/${p.container.containerPort ?? ''}`)
      .join(',');
  const containers = state.containers.map((c) => `${c.fullId}=${c.ref.name}:${ports(c)}`).join(';');
  return `${containers}|${state.note?.message ?? ''}`;
}

/** The container publishing a row's port, for rows held by a port proxy (docker-proxy …). */
function publisherOf(row: SocketRow, published: readonly PublishedPort[]): ContainerRef | null {
  if (!row.owners.some((o) => o.process && isPortProxy(o.process.name))) return null;
  if (!holdsPort(row, row.localPort, row.protocol)) return null;
  const same = published.filter((p) => p.protocol === row.protocol && p.hostPort === row.localPort);
  const exact = same.find((p) => addressCovers(row.localAddress, p.hostIp)) ?? same[0];
  return exact?.container ?? null;
}

/** Whether a socket bound to `local` serves a port the engine published on `hostIp`. */
function addressCovers(local: string, hostIp: string): boolean {
  if (hostIp === '' || local === hostIp) return true;
  if (local === '0.0.0.0' || local === '*') return !hostIp.includes(':');
  if (local === '::') return true;
  return false;
}

function sameRef(a: ContainerRef | null, b: ContainerRef | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.id === b.id && a.name === b.name && a.image === b.image && a.containerPort === b.containerPort;
}
