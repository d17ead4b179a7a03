/**
 * The data model shared by the engine, every front door and the renderer.
 * Plain types only: no Node APIs, no 'electron'.
 */

export type Protocol = 'tcp' | 'udp';
export type Family = 4 | 6;

/**
 * TCP states as `ss` names them (LISTEN, ESTABLISHED, …); a bound, unconnected UDP socket is
 * `UNCONN`. `BOUND` is a TCP socket bound to a port but neither listening nor connected (what
 * the kernel dumps for TCP_BOUND_INACTIVE since Linux 6.7): it keeps that port from other binds.
 */
export type SocketState =
  | 'LISTEN'
  | 'ESTABLISHED'
  | 'SYN_SENT'
  | 'SYN_RECV'
  | 'FIN_WAIT1'
  | 'FIN_WAIT2'
  | 'TIME_WAIT'
  | 'CLOSE'
  | 'CLOSE_WAIT'
  | 'LAST_ACK'
  | 'CLOSING'
  | 'UNCONN'
  | 'BOUND'
  | 'UNKNOWN';

/** Which sockets the engine collects: listening TCP + bound UDP, or every socket. */
export type Scope = 'listening' | 'all';

/** What we know about the process that owns a socket. Names and command lines are hostile input. */
export interface ProcessInfo {
  name: string;
  /** Full command line ('' when unreadable). */
  command: string;
  /** Executable path ('' when unreadable). */
  path: string;
  /** Effective user name, as `ps` and `lsof` show it ('' when unknown). */
  user: string;
  /** Real user name, only when it differs from the effective one (a setuid program). */
  realUser?: string;
  /** Start time, ms since the epoch (display). */
  startTime: number;
  /**
   * Opaque start identity used to recognise the *same* process again before a kill
   * (Linux: /proc/<pid>/stat field 22; elsewhere what the OS reports). Compared for equality only.
   */
  startId: string;
  ppid: number | null;
  /** CPU use in percent of one core, refreshed on a slow clock. */
  cpu: number | null;
  /** Resident memory in bytes, refreshed on a slow clock. */
  memory: number | null;
  /**
   * What a developer calls this process, derived from the command line by shared/process-label.ts
   * (`vite`, `next dev`, `python -m http.server`, `postgres: checkpointer`); absent = use `name`.
   */
  label?: string;
  /** Working directory ('' when unreadable); absent where the platform does not give it. */
  cwd?: string;
  /** The project the working directory belongs to (nearest manifest + git), null when none. */
  project?: ProjectInfo | null;
  /** The container the process runs in (from /proc/<pid>/cgroup + the engine's API), null when none. */
  container?: ContainerRef | null;
  /** The supervisor that (re)starts it: systemd unit, supervisord/runit program …; null when none. */
  supervisor?: SupervisorRef | null;
}

/** The project a process works in: read from files, never by running git. */
export interface ProjectInfo {
  /** package.json / pyproject.toml / Cargo.toml / go.mod name; the folder name when none has one. */
  name: string;
  /** Folder of the manifest (or of the git repository). */
  dir: string;
  /** Git branch from .git/HEAD (short sha when detached); null outside a repository. */
  branch: string | null;
}

/** A Docker/Podman container, as its engine's API names it. */
export interface ContainerRef {
  /** Short id (12 hex). */
  id: string;
  name: string;
  image: string;
  engine: 'docker' | 'podman';
  /** docker compose project and service labels, when set. */
  composeProject?: string | null;
  composeService?: string | null;
  /** For a published port: the container-side port and protocol ("80/tcp"). */
  containerPort?: string | null;
}

/** What restarts a process when it dies. */
export interface SupervisorRef {
  kind: 'systemd' | 'supervisord' | 'runit' | 'launchd' | 'windows-service' | 'parent';
  /** Unit / program / label / service name, validated before any action uses it. */
  name: string;
  /** systemd: 'system' or 'user' manager; absent elsewhere. */
  scope?: 'system' | 'user';
}

/** Who can reach a listening socket: loopback only, or the network (any other address, wildcards included). */
export type Exposure = 'loopback' | 'network';

/** Bytes moved by a TCP connection (netlink tcp_info), and the rate over the last poll. */
export interface Traffic {
  bytesSent: number;
  bytesReceived: number;
  /** Bytes per second over the last poll; null on the first sighting. */
  sendRate: number | null;
  receiveRate: number | null;
}

/** CPU and memory of one process, read on the engine's slow clock. */
export interface ProcessUsage {
  pid: number;
  startId: string;
  /** CPU use in percent of one core. */
  cpu: number | null;
  /** Resident memory in bytes. */
  memory: number | null;
}

/** One process that holds a socket (has a file descriptor on it). */
export interface Owner {
  pid: number;
  /** null when the process could not be read (it exited between the socket read and the metadata read). */
  process: ProcessInfo | null;
}

/**
 * Who is behind a socket, in the one wording every front door uses (see shared/socket-rules.ts):
 * - `process`: one or more visible processes hold it (`owners` lists them);
 * - `kernel`: no process holds it any more (TIME_WAIT, LAST_ACK, an orphaned FIN_WAIT2, a request
 *   socket in SYN_RECV): the kernel keeps it until its timer ends; there is nothing to kill;
 * - `hidden`: a process holds it, but this user cannot see which (another user's process); the
 *   socket's own uid still names the user when the source knows it.
 */
export type HolderKind = 'process' | 'kernel' | 'hidden';

/**
 * One kernel socket. Rows are keyed by what identifies the socket (the socket cookie where the
 * source gives one, else the inode, else — for sources that know neither — the address tuple),
 * never by its state: a state change is an update of the same row.
 */
export interface SocketRow {
  /** Stable identity of the socket across polls (see above). */
  key: string;
  protocol: Protocol;
  family: Family;
  localAddress: string;
  localPort: number;
  remoteAddress: string | null;
  remotePort: number | null;
  state: SocketState;
  /**
   * Every process that holds the socket, parent before child (a pre-fork server: master, then its
   * workers); empty when no visible process holds it (see `holder`).
   */
  owners: Owner[];
  /** The first owner's PID (`owners[0]`), kept for scripts and sorting; null when `owners` is empty. */
  pid: number | null;
  /** The first owner's process; null when `owners` is empty or it could not be read. */
  process: ProcessInfo | null;
  /** Service name of the local port (remote port for outgoing connections), when known. */
  service: string | null;
  /** Socket inode: 0 for a socket no file descriptor refers to (kernel-held); null when the source cannot tell. */
  inode: number | null;
  /** Numeric uid that owns the socket (as `ss -e` shows); null when the source cannot tell. */
  uid: number | null;
  /** Name of that uid ('' when it has no passwd entry); null when `uid` is null. */
  user: string | null;
  /** Interface the socket is bound to (SO_BINDTODEVICE, `127.0.0.1%lo`); null when unbound or unknown. */
  device: string | null;
  /** For an IPv6 socket on `::`: true when IPv6-only, false when dual-stack; null where unknown or not IPv6. */
  v6only: boolean | null;
  /** Interface of an IPv6 link-local address's scope id (`fe80::1%lo`); null when none or unknown. */
  zone: string | null;
  /** Who is behind it: derived once by the engine with shared/socket-rules.ts `holderKind`. */
  holder: HolderKind;
  /** Listening/bound sockets: loopback-only or reachable from the network (shared/socket-rules.ts `exposure`). */
  exposure?: Exposure | null;
  /** Where the service name came from: curated names people use, dev-port conventions, or the IANA registry. */
  serviceSource?: 'common' | 'dev' | 'iana' | null;
  /** Reverse-resolved name of the remote address (asynchronous, cached); null when none or off. */
  remoteName?: string | null;
  /** The container that publishes this port (docker-proxy, rootlessport … or no host process at all). */
  container?: ContainerRef | null;
  /** TCP bytes sent/received where the source reads tcp_info (netlink); null elsewhere. */
  traffic?: Traffic | null;
}

/** A source (tool) that failed this poll. Failure is a state, never an empty table. */
export interface SourceError {
  /** Source name, e.g. 'systeminformation', 'proc-net'. */
  source: string;
  /** The tool or file that failed, e.g. 'ss', '/proc/net/udp'. */
  tool: string;
  kind: 'missing' | 'failed' | 'timeout' | 'permission';
  message: string;
  /** What the user can do about it. */
  hint?: string;
}

export interface Snapshot {
  seq: number;
  /** ms since epoch when the poll finished. */
  takenAt: number;
  scope: Scope;
  rows: SocketRow[];
  errors: SourceError[];
}

/** What changed between two snapshots; a quiet machine yields an empty delta. */
export interface Delta {
  seq: number;
  takenAt: number;
  added: SocketRow[];
  removed: string[];
  changed: SocketRow[];
  /** Present only when the set of source errors changed. */
  errors?: SourceError[];
}

export interface MonitorStatus {
  state: 'polling' | 'paused';
  /** Which socket source answered the last poll ('netlink', 'proc-net', 'systeminformation', …). */
  source?: string;
  intervalMs: number;
  scope: Scope;
  /** ms since epoch of the last finished poll, null before the first. */
  lastUpdate: number | null;
  /** True when the data is older than two intervals. */
  stale: boolean;
  errors: SourceError[];
  /** Number of subscribers / visible windows that are watching. */
  observed: boolean;
}

/** The identity a kill acts on: taken from the row the user saw. */
export interface ProcessIdentity {
  pid: number;
  startId: string;
}

export type KillOutcome =
  | 'exited'
  | 'port-released'
  | 'still-running'
  | 'refused'
  | 'changed'
  | 'permission-denied'
  | 'elevated-ok'
  | 'elevation-cancelled'
  | 'not-found';

export interface KillResult {
  outcome: KillOutcome;
  pid: number;
  /** Human sentence for the toast / CLI. */
  message: string;
  /** Signals actually sent, in order, e.g. [{pid, signal:'SIGTERM'}]. */
  signals: { pid: number; signal: string }[];
  /** True when the caller may offer "Force kill". */
  canForce: boolean;
  /** True when the caller may offer "Retry as administrator". */
  canElevate: boolean;
}

/** A protocol + port: what "free port 3000" is about. */
export interface PortRef {
  protocol: Protocol;
  port: number;
}

/**
 * What freeing a port would do: every holder of its listening sockets, planned as the topmost
 * holders' trees (the master of a pre-fork server and its workers), shown before anything is sent.
 */
export interface FreePortPlan {
  port: number;
  /** null: every protocol (the CLI's `kill 53`); else only that protocol's listeners. */
  protocol: Protocol | null;
  /** The listening sockets that hold the port now. */
  sockets: SocketRow[];
  /** One plan per topmost holder; its `children` are the rest of its tree (workers). */
  roots: KillPlan[];
  /** Sockets on the port whose holder this user cannot see (they stay held whatever we do). */
  hidden: SocketRow[];
  /** Set when nothing will be sent at all, and why. */
  refused: string | null;
  /** The container that publishes the port: Stop container is the action, not a kill. */
  container?: ContainerRef | null;
}

/** How a container action (Stop / Restart container) ended. */
export type ContainerActionOutcome =
  | 'stopped'
  | 'restarted'
  | 'not-found'
  | 'changed'
  | 'failed'
  | 'permission-denied';

export interface ContainerActionResult {
  outcome: ContainerActionOutcome;
  container: ContainerRef | null;
  /** Human sentence for the toast / CLI. */
  message: string;
  /** After a stop for a port: whether the port is free now (null when no port was named). */
  portFree: boolean | null;
}

/** How Stop service (systemctl / supervisorctl / sv) ended. */
export type ServiceStopOutcome =
  | 'stopped'
  | 'still-held'
  | 'refused'
  | 'changed'
  | 'failed'
  | 'elevation-cancelled';

export interface ServiceStopResult {
  outcome: ServiceStopOutcome;
  supervisor: SupervisorRef | null;
  message: string;
}

/** How freeing a port ended. `port-free` only when no listening socket holds the port any more. */
export type FreePortOutcome =
  | 'port-free'
  | 'still-held'
  | 'still-running'
  | 'refused'
  | 'changed'
  | 'permission-denied'
  | 'elevation-cancelled'
  | 'not-held'
  /** The holders ended, but their supervisor (systemd, supervisord, runit, a parent) took the port again. */
  | 'restarted';

export interface FreePortResult {
  outcome: FreePortOutcome;
  port: number;
  protocol: Protocol | null;
  /** Human sentence for the toast / CLI. */
  message: string;
  /** One result per root that was signalled (or refused), in plan order. */
  results: KillResult[];
  /** Who still holds the port after the kill (empty when it is free). */
  stillHeldBy: Owner[];
  canForce: boolean;
  canElevate: boolean;
  /** Outcome 'restarted': who restarted it (Stop service is what frees the port). */
  restartedBy?: SupervisorRef | null;
}

/** What a kill would do, shown in the confirmation before anything is sent. */
export interface KillPlan {
  target: ProcessIdentity;
  process: ProcessInfo | null;
  /** Sockets that process holds (from the current snapshot). */
  sockets: SocketRow[];
  /**
   * Descendants that a tree kill would end, each with its start identity so a front door can send
   * back exactly the processes it showed (`port:free` `seen`).
   */
  children: { pid: number; name: string; command: string; startId: string }[];
  /** Set when the kill would be refused; nothing will be sent. */
  refused: string | null;
}

/** The identity a close acts on: the full 4-tuple and the socket cookie of the row the user saw. */
export interface ConnectionRef {
  protocol: 'tcp';
  family: Family;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** Socket cookie (decimal): the kernel destroys the socket only while the 4-tuple still has it. */
  cookie: string;
}

/**
 * How closing a connection ended. `closed` only when the socket is gone from the kernel's table;
 * `changed`: the 4-tuple now belongs to a new connection (another cookie), which was not touched.
 */
export type CloseOutcome =
  | 'closed'
  | 'not-found'
  | 'changed'
  | 'refused'
  | 'permission-denied'
  | 'elevation-cancelled'
  | 'unsupported'
  | 'failed';

export interface CloseConnectionResult {
  outcome: CloseOutcome;
  /** Human sentence for the toast / CLI. */
  message: string;
  /** True when the caller may offer "Retry as administrator". */
  canElevate: boolean;
}
