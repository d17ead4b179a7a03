import type { ContainerRef, Protocol } from './model';

/**
 * Port history: what the recorder stores (one event per line in electron/core/history) and what a
 * query returns. Plain data, no Node APIs: the CLI, the api and the renderer share these types.
 */

/** A process as the history remembers it: enough to name it later, and the identity a kill used. */
export interface HistoryProcess {
  pid: number;
  startId: string;
  name: string;
  command: string;
  user: string;
}

/** The container a socket belonged to, as far as the history needs it. */
export type HistoryContainer = Pick<ContainerRef, 'id' | 'name' | 'image'>;

/** Who asked Portscope to act. */
export type HistoryActor = 'desktop' | 'browser' | 'cli';

/**
 * A listening socket appeared (`open`), disappeared (`close`), or was already there when recording
 * began (`seen`: its real opening time is unknown).
 */
export interface SocketEvent {
  t: number;
  kind: 'open' | 'close' | 'seen';
  /** The monitor's row key (socket cookie or inode): pairs a close with its open. */
  key: string;
  protocol: Protocol;
  address: string;
  port: number;
  service: string | null;
  process: HistoryProcess | null;
  /** Socket owner (the kernel's word), for sockets whose process cannot be seen. */
  user: string | null;
  container: HistoryContainer | null;
}

/** A kill, port free, service stop or connection close that Portscope performed. */
export interface ActionEvent {
  t: number;
  kind: 'kill';
  by: HistoryActor;
  action: 'kill' | 'free-port' | 'stop' | 'close';
  /** The port it was about (free-port, or the target's listening ports); null when none. */
  ports: number[];
  protocol: Protocol | null;
  /** The processes it was aimed at (identity the user saw). */
  targets: HistoryProcess[];
  container: HistoryContainer | null;
  signals: { pid: number; signal: string }[];
  outcome: string;
  message: string;
}

/** Recording started or stopped: a socket still open at a stop has an unknown end. */
export type RecorderEvent = { t: number; kind: 'start' } | { t: number; kind: 'stop' };

export type HistoryEvent = SocketEvent | ActionEvent | RecorderEvent;

/** One holder's time on a port: from its open (or first sighting) to its close (or now). */
export interface HolderSpan {
  protocol: Protocol;
  port: number;
  /** Local addresses it listened on (`0.0.0.0`, `::` …). */
  addresses: string[];
  service: string | null;
  process: HistoryProcess | null;
  user: string | null;
  container: HistoryContainer | null;
  from: number;
  /** `opened`: seen opening; `seen`: already open when recording began. */
  fromKind: 'opened' | 'seen';
  /** null while still open. */
  to: number | null;
  /** `closed`; `open`: still open at the last record; `unknown`: recording stopped while it was open. */
  toKind: 'closed' | 'open' | 'unknown';
  /** A kill Portscope performed on this holder or its port, when one ended the span. */
  killedBy: ActionEvent | null;
}

/** A port's timeline: its holders, oldest first, and the actions on it. */
export interface PortTimeline {
  protocol: Protocol;
  port: number;
  spans: HolderSpan[];
  actions: ActionEvent[];
}

/** What `history:query` and `portscope history` return. */
export interface HistoryResult {
  from: number;
  to: number;
  ports: PortTimeline[];
  /** Actions that name no port (a kill by PID of a process without listeners). */
  otherActions: ActionEvent[];
  /** True when the answer was cut at the event limit (oldest events dropped). */
  truncated: boolean;
  /** Why there is no history (store missing, unreadable …); null when it was read. */
  notice: string | null;
}
