/**
 * The data model shared by the engine, every front door and the renderer.
 * Plain types only: no Node APIs, no 'electron'.
 */

export type Protocol = 'tcp' | 'udp';
export type Family = 4 | 6;

/** TCP states as `ss` names them (LISTEN, ESTABLISHED, …); a bound, unconnected UDP socket is `UNCONN`. */
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
  /** Owner user name ('' when unknown). */
  user: string;
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

export interface SocketRow {
  /** Stable identity of the socket across polls. */
  key: string;
  protocol: Protocol;
  family: Family;
  localAddress: string;
  localPort: number;
  remoteAddress: string | null;
  remotePort: number | null;
  state: SocketState;
  /** null when the owner is not visible to this user. */
  pid: number | null;
  process: ProcessInfo | null;
  /** IANA service name of the local port (remote port for outgoing connections), when known. */
  service: string | null;
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

/** What a kill would do, shown in the confirmation before anything is sent. */
export interface KillPlan {
  target: ProcessIdentity;
  process: ProcessInfo | null;
  /** Sockets that process holds (from the current snapshot). */
  sockets: SocketRow[];
  /** Descendants that a tree kill would end. */
  children: { pid: number; name: string; command: string }[];
  /** Set when the kill would be refused; nothing will be sent. */
  refused: string | null;
}
