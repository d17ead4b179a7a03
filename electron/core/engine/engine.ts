import type { Owner, ProcessInfo, Scope, SocketRow, SourceError } from '../../../shared/model';
import { exposure, holderKind, isListening } from '../../../shared/socket-rules';
import { BehindJoin } from '../containers/join-behind';
import { InodeOwners } from '../processes/inode-owners';
import { ProcessCache, type ProcessReader } from '../processes/process-cache';
import { userName } from '../processes/users';
import { localLabels, type RemoteNamer } from '../resolve/remote-names';
import { defaultProcessReader, defaultSources } from '../sources/default-sources';
import { mergeSockets, rowKey } from '../sources/merge';
import { type RawSocket, type Source, SourceFailure } from '../sources/types';
import { joinHolders } from './join-holders';
import { PatchedRows } from './patched-rows';
import { sameOwners, sameSocket } from './row-reuse';
import { lookupServiceName, type ServiceName } from './services';
import { TrafficTracker } from './traffic';

export interface EngineOptions {
  /** Socket sources, merged in order (default: the platform's, see defaultSources). */
  sources?: Source[];
  /** Process metadata: a ProcessCache, or a reader to cache (default: the platform's reader). */
  processes?: ProcessCache | ProcessReader;
  /** Per-source time-out; a source that takes longer is aborted and reported (default 5 s). */
  timeoutMs?: number;
  /**
   * Inode → every holding PID, for sources whose rows carry an inode but no holders (/proc/net,
   * netlink). Default: /proc on Linux, none elsewhere (those sources report their one PID).
   */
  holders?: InodeOwners | null;
  /** Names of remote addresses (default: only the free loopback/private/link-local labels, no DNS). */
  remoteNames?: RemoteNamer;
  /** Container and supervisor join (default: on Linux with /proc holders; null turns it off). */
  behind?: BehindJoin | null;
}

export interface CollectResult {
  rows: SocketRow[];
  errors: SourceError[];
  /** The same rows by key (built once per poll; never mutated afterwards). */
  byKey?: ReadonlyMap<string, SocketRow>;
}

export interface Engine {
  /** Take one snapshot: every source in parallel, merged, joined with process metadata. */
  collect(scope: Scope, signal?: AbortSignal): Promise<CollectResult>;
  /** Cached metadata of a PID seen in the last collect. */
  processFor?(pid: number): ProcessInfo | null;
  /** Fresh CPU and memory of a PID the last collect showed (the details panel asks; polls do not sample). */
  usage?(pid: number): Promise<ProcessInfo | null>;
  /** The socket sources this engine reads, e.g. 'netlink' or 'proc-net' (for status and --debug). */
  sourceName?(): string;
}

/** Turn anything a source threw into the visible error the user sees. */
function toSourceError(source: Source, err: unknown): SourceError {
  if (err instanceof SourceFailure) {
    const e: SourceError = { source: source.name, tool: err.tool, kind: err.kind, message: err.message };
    if (err.hint) e.hint = err.hint;
    return e;
  }
  const code = (err as NodeJS.ErrnoException)?.code;
  const message = err instanceof Error ? err.message : String(err);
  if (code === 'ENOENT') return { source: source.name, tool: source.tool, kind: 'missing', message };
  if (code === 'EACCES' || code === 'EPERM')
    return { source: source.name, tool: source.tool, kind: 'permission', message };
  return { source: source.name, tool: source.tool, kind: 'failed', message };
}

/** Run one source with its own abort controller and a time-out that aborts it (killing its child). */
async function runSource(
  source: Source,
  scope: Scope,
  timeoutMs: number,
  outer?: AbortSignal,
): Promise<RawSocket[]> {
  const ac = new AbortController();
  const onOuter = () => ac.abort(outer?.reason);
  outer?.addEventListener('abort', onOuter, { once: true });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      ac.abort(new Error('timeout'));
      reject(
        new SourceFailure(
          'timeout',
          `${source.tool} did not answer within ${timeoutMs} ms`,
          source.tool,
          'The tool may be hung; it was stopped and will be tried again next poll.',
        ),
      );
    }, timeoutMs);
  });
  try {
    return await Promise.race([source.collect({ scope, signal: ac.signal }), timeout]);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', onOuter);
  }
}

/** Ports with a listener, per protocol (numbers: no key string built per row of 25,000). */
interface ListeningPorts {
  tcp: Set<number>;
  udp: Set<number>;
}

/**
 * Which port names the row: the local port for listeners and for connections accepted on a local
 * listener; the remote port for outgoing connections (from an ephemeral port to, say, 443).
 */
function serviceFor(r: RawSocket, listeners: ListeningPorts): ServiceName | null {
  if (r.remotePort === null || isListening(r) || listeners[r.protocol].has(r.localPort)) {
    return lookupServiceName(r.localPort, r.protocol);
  }
  // Not the local port: an ephemeral port's IANA registration would name a random service.
  return lookupServiceName(r.remotePort, r.protocol);
}

/** Create the engine: sources → merged rows with owners, process metadata and service names. */
export function createEngine(opts: EngineOptions = {}): Engine {
  const sources = opts.sources ?? defaultSources();
  const cache =
    opts.processes instanceof ProcessCache
      ? opts.processes
      : new ProcessCache(opts.processes ?? defaultProcessReader());
  const timeoutMs = opts.timeoutMs ?? 5000;
  const names = opts.remoteNames ?? localLabels;
  const inodeOwners =
    opts.holders !== undefined ? opts.holders : process.platform === 'linux' ? new InodeOwners() : null;
  // Last poll's rows by key: an unchanged socket reuses its row object, so a quiet poll allocates
  // little and the monitor's diff short-circuits on identity.
  let previous: ReadonlyMap<string, SocketRow> = new Map<string, SocketRow>();
  // Row key → index in the last full poll's rows (the idle path keeps that order): built on demand.
  let rowIndex: Map<string, number> | null = null;
  // Containers, services and supervisors behind the rows (containers/join-behind.ts); Linux /proc only.
  const behind = opts.behind !== undefined ? opts.behind : inodeOwners ? new BehindJoin() : null;
  const traffic = new TrafficTracker();
  // The last clean poll: what the sources answered and what it made. A poll whose sources hand back
  // the very same lists (netlink: byte-identical kernel answer), whose holders did not move and
  // whose processes are the same objects returns this result as it is: no merge, join or rows.
  let last: {
    lists: RawSocket[][];
    pids: Set<number>;
    infos: Map<number, ProcessInfo | null>;
    result: CollectResult;
    /** The merged sockets it was made from (a source may update their tcp counters in place). */
    merged: Map<string, RawSocket>;
    /** The resolver's answer count then: a name that arrived since must reach the rows. */
    names: number;
  } | null = null;

  // Owner lists by holder list: InodeOwners answers the very same PID array for every socket of one
  // holder set (a server with 10,000 sockets), so those rows share one owners array as long as its
  // processes are the same objects. Owner arrays are never changed once made.
  const ownersByPids = new WeakMap<readonly number[], Owner[]>();
  function ownersOf(r: RawSocket, infos: ReadonlyMap<number, ProcessInfo | null>): Owner[] {
    const shared = r.pids;
    if (shared) {
      const hit = ownersByPids.get(shared);
      if (hit?.every((o) => o.process === (infos.get(o.pid) ?? null))) return hit;
    }
    let placeholders = false;
    const owners = (shared ?? (r.pid === null ? [] : [r.pid])).map((pid) => {
      let proc = infos.get(pid) ?? null;
      // The process exited between the socket read and the metadata read: keep the tool's name.
      if (!proc && pid === r.pid && r.processName) {
        proc = placeholder(r.processName);
        placeholders = true;
      }
      return { pid, process: proc };
    });
    if (shared && !placeholders) ownersByPids.set(shared, owners);
    return owners;
  }

  /** The idle poll: nothing the last result was made from changed (cost: no per-socket work). */
  async function unchanged(lists: RawSocket[][], errors: SourceError[]): Promise<CollectResult | null> {
    if (!last || errors.length > 0 || !sameLists(lists, last.lists)) return null;
    // A looked-up name must land (traffic is re-rated on this path: see rerated()).
    if ((names.version?.() ?? 0) !== last.names) return null;
    if (inodeOwners?.recheck()) return null;
    // A container that started or stopped publishing a port without a host socket changes no socket.
    if (behind && !(await behind.unchanged())) return null;
    const infos =
      cache.cachedIfCurrent(last.pids) ?? (await lookupWithin(cache, last.pids, timeoutMs, errors));
    if (errors.length > 0) return null;
    for (const [pid, info] of infos) if (last.infos.get(pid) !== info) return null;
    return last.result;
  }

  async function collect(scope: Scope, signal?: AbortSignal): Promise<CollectResult> {
    const settled = await Promise.allSettled(sources.map((s) => runSource(s, scope, timeoutMs, signal)));
    const errors: SourceError[] = [];
    const lists: RawSocket[][] = [];
    settled.forEach((res, i) => {
      const source = sources[i] as Source;
      if (res.status === 'fulfilled') lists.push(res.value);
      else errors.push(toSourceError(source, res.reason));
    });
    signal?.throwIfAborted();
    const same = await unchanged(lists, errors);
    if (same && last) return rerated(same, last.merged);
    const merged = mergeSockets(lists);
    if (inodeOwners) await joinHolders(inodeOwners, merged, signal);
    const pids = new Set<number>();
    const listeners: ListeningPorts = { tcp: new Set(), udp: new Set() };
    for (const r of merged.values()) {
      if (r.pids) for (const pid of r.pids) pids.add(pid);
      else if (r.pid !== null) pids.add(r.pid);
      if (r.state === 'LISTEN') listeners[r.protocol].add(r.localPort);
    }
    const infos = await lookupWithin(cache, pids, timeoutMs, errors);
    const rows: SocketRow[] = [];
    for (const [key, r] of merged) {
      const owners = ownersOf(r, infos);
      const first = owners[0] ?? null;
      const named = serviceFor(r, listeners);
      const service = named?.name ?? null;
      // From the resolver's cache, never awaited: a name looked up now arrives with a later poll.
      const remoteName = names.name(r.remoteAddress);
      const old = previous.get(key);
      if (
        old &&
        old.remoteName === remoteName &&
        sameSocket(old, r, service) &&
        sameOwners(old.owners, owners)
      ) {
        rows.push(old);
        continue;
      }
      const row: SocketRow = {
        key,
        protocol: r.protocol,
        family: r.family,
        localAddress: r.localAddress,
        localPort: r.localPort,
        remoteAddress: r.remoteAddress,
        remotePort: r.remotePort,
        state: r.state,
        owners,
        pid: first?.pid ?? null,
        process: first?.process ?? null,
        service,
        inode: r.inode ?? null,
        uid: r.uid ?? null,
        user: r.uid == null ? null : userName(r.uid),
        device: r.device ?? null,
        v6only: r.v6only ?? null,
        zone: r.zone ?? null,
        holder: 'hidden',
        // Declared here, filled below or later (traffic), so the fields live inside the object
        // rather than in a second array per row: 25,000 rows are 25,000 fewer allocations.
        exposure: undefined,
        remoteName,
        serviceSource: named?.source,
        traffic: undefined,
      };
      row.holder = holderKind(row);
      row.exposure = exposure(row);
      rows.push(row);
    }
    traffic.apply(rows, merged, previous);
    if (behind) await behind.join(rows, errors);
    const byKey = new Map(rows.map((r) => [r.key, r]));
    previous = byKey;
    rowIndex = null;
    const result = { rows, errors, byKey };
    last = errors.length === 0 ? { lists, pids, infos, result, merged, names: names.version?.() ?? 0 } : null;
    return result;
  }

  /**
   * The idle path with traffic: the sockets are the same, but their byte counters may have moved
   * (the source updated them in place). Only the rows whose traffic changed are copied; a poll
   * where none did returns the last result itself.
   */
  function rerated(result: CollectResult, merged: Map<string, RawSocket>): CollectResult {
    if (!traffic.tracking()) return result; // the Listening scope: the idle tick stays allocation-free
    const byKey = result.byKey ?? previous;
    const moved = sources.length === 1 ? (sources[0]?.movedCounters?.() ?? null) : null;
    let next: CollectResult;
    if (moved) {
      // The source says which sockets' counters moved: only those rows (and rows whose rate must
      // drop to 0) are looked at, and the new map overlays them on the last one.
      const replaced = traffic.applyMoved(
        byKey,
        moved.flatMap((r) => (r.tcp ? [{ key: rowKey(r), tcp: r.tcp }] : [])),
      );
      if (replaced.length === 0) return result;
      if (!rowIndex) rowIndex = new Map(result.rows.map((r, i) => [r.key, i]));
      const rows = result.rows.slice();
      for (const r of replaced) {
        const i = rowIndex.get(r.key);
        if (i !== undefined) rows[i] = r;
      }
      next = { rows, errors: result.errors, byKey: PatchedRows.of(byKey, replaced) };
    } else {
      const rows = result.rows.slice();
      if (traffic.apply(rows, merged, byKey) === 0) return result;
      const copy = new Map(byKey);
      for (const r of rows) if (copy.get(r.key) !== r) copy.set(r.key, r);
      next = { rows, errors: result.errors, byKey: copy };
    }
    previous = next.byKey as ReadonlyMap<string, SocketRow>;
    if (last) last.result = next;
    return next;
  }

  const sourceName = sources.map((s) => s.name).join('+');
  return {
    collect,
    processFor: (pid) => cache.get(pid),
    usage: (pid) => cache.usage(pid),
    sourceName: () => sourceName,
  };
}

/** The same list objects from every source (a source returns its last list when nothing changed). */
function sameLists(a: readonly RawSocket[][], b: readonly RawSocket[][]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Process metadata, but never longer than the source time-out: a process whose /proc files block
 * (or a hung `ps`) must not stall every later poll. On time-out the rows keep what the cache
 * already knows and the poll reports the hang.
 */
async function lookupWithin(
  cache: ProcessCache,
  pids: Set<number>,
  timeoutMs: number,
  errors: SourceError[],
): Promise<Map<number, ProcessInfo | null>> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), timeoutMs);
  });
  try {
    const infos = await Promise.race([cache.lookup(pids), timedOut]);
    if (infos) return infos;
  } finally {
    clearTimeout(timer);
  }
  errors.push({
    source: 'processes',
    tool: 'process list',
    kind: 'timeout',
    message: `reading process details did not finish within ${timeoutMs} ms`,
    hint: 'A process may be hung in the kernel; sockets are still listed with what was known.',
  });
  return new Map([...pids].map((pid) => [pid, cache.get(pid)]));
}

function placeholder(name: string): ProcessInfo {
  return {
    name,
    command: '',
    path: '',
    user: '',
    startTime: 0,
    startId: '',
    ppid: null,
    cpu: null,
    memory: null,
  };
}
