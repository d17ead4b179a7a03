import type { Scope, SocketRow } from '../../../shared/model';

/** One socket as a source reports it, before holders, process metadata and service names are joined. */
export type RawSocket = Pick<
  SocketRow,
  'protocol' | 'family' | 'localAddress' | 'localPort' | 'remoteAddress' | 'remotePort' | 'state'
> & {
  /** Holder PIDs, parent first, when the source knows them (/proc fd scan); [] when none is visible. */
  pids?: number[];
  /** The one PID a tool reported (ss -p, netstat, systeminformation); null when not visible. */
  pid: number | null;
  /** Process name as the tool reported it, used only when no process metadata is available. */
  processName?: string;
  /** Socket cookie (netlink sock_diag), as a decimal string: the most stable identity there is. */
  cookie?: string;
  /** Socket inode: 0 = no file descriptor refers to it; absent = the source cannot tell. */
  inode?: number;
  /** Owning uid of the socket. */
  uid?: number;
  /** Bound device (SO_BINDTODEVICE) name. */
  device?: string | null;
  /** IPV6_V6ONLY of an IPv6 socket. */
  v6only?: boolean | null;
  /** Interface name of an IPv6 link-local scope id. */
  zone?: string | null;
  /** TCP byte counters from tcp_info (netlink, All scope): the engine turns them into `traffic`. */
  tcp?: { bytesAcked: number; bytesReceived: number };
};

export interface CollectOptions {
  scope: Scope;
  /** Aborted when the poll times out; sources must kill child processes they spawned. */
  signal: AbortSignal;
}

/**
 * A source of socket rows. The systeminformation source is the portable default; platform
 * supplements fill measured gaps behind this same interface.
 */
export interface Source {
  /** Stable name shown in errors, e.g. 'systeminformation', 'proc-net'. */
  readonly name: string;
  /** The tool or file it depends on, e.g. 'netstat/ss', '/proc/net'. */
  readonly tool: string;
  collect(options: CollectOptions): Promise<RawSocket[]>;
  /**
   * After a collect that handed back the same list as the one before with only tcp counters
   * updated in place: the sockets whose counters moved ([] when none did). Null otherwise, or when
   * the source cannot tell (then every row is re-rated).
   */
  movedCounters?(): readonly RawSocket[] | null;
}

/** Thrown by a source to report a classified failure (missing tool, permission, …). */
export class SourceFailure extends Error {
  constructor(
    public readonly kind: 'missing' | 'failed' | 'timeout' | 'permission',
    message: string,
    public readonly tool: string,
    public readonly hint?: string,
  ) {
    super(message);
    this.name = 'SourceFailure';
  }
}
