import type { Scope, SocketRow } from '../../../shared/model';

/** One socket as a source reports it, before process metadata and service names are joined. */
export type RawSocket = Omit<SocketRow, 'key' | 'process' | 'service'> & {
  /** Process name as the tool reported it, used only when no process metadata is available. */
  processName?: string;
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
