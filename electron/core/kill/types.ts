import type {
  FreePortPlan,
  FreePortResult,
  KillPlan,
  KillResult,
  ProcessIdentity,
  Protocol,
  SocketRow,
} from '../../../shared/model';

/** One kill, as the dialog or the CLI asks for it. The identity comes from the row the user saw. */
export interface KillRequest {
  target: ProcessIdentity;
  /** SIGKILL now (after re-checking identity) instead of SIGTERM + grace. */
  force: boolean;
  /** Also end every descendant, collected before the first signal. */
  tree: boolean;
  /** Send the signal through the OS administrator prompt (pkexec, macOS prompt, UAC). */
  elevate: boolean;
  /** How long to wait for the process to exit after SIGTERM (default: the killer's graceMs). */
  graceMs?: number;
  /** Ports the user saw this process hold, to report 'port-released'. */
  ports?: { protocol: Protocol; port: number }[];
}

/**
 * Runs one fixed command with administrator rights and reports how it ended.
 * `cancelled` is true when the user dismissed the prompt or was not authorised.
 */
export type ElevationRunner = (
  file: string,
  args: string[],
) => Promise<{ code: number | null; cancelled: boolean; stderr: string }>;

export interface KillerOptions {
  /** Grace period after SIGTERM, in ms (default 3000). */
  graceMs?: number;
  platform?: NodeJS.Platform;
  /** Extra PIDs that must never be killed (Electron helpers, the web server process). */
  protectedPids?: () => number[];
  /** How to run the elevated command (default: execFile of pkexec / osascript / powershell). */
  elevationRunner?: ElevationRunner;
  /**
   * A fresh read of the listening sockets from the kernel (an engine collect), asked right before
   * a port is freed and again afterwards. Default: a private engine, created on first use.
   */
  collectListening?: () => Promise<SocketRow[]>;
}

/** Free a port, as the confirmation showed it: only the identities in `seen` are ever signalled. */
export interface FreePortRequest {
  port: number;
  /** null: every protocol's listeners on that port. */
  protocol: Protocol | null;
  /** The holders (roots and their descendants) the user was shown. */
  seen: ProcessIdentity[];
  /** SIGKILL whatever is still running after the grace period. */
  force: boolean;
  /** Send the signals through the OS administrator prompt. */
  elevate: boolean;
  graceMs?: number;
}

export interface Killer {
  /** What a kill would do; sends nothing. rows = current snapshot rows (to list the sockets the process holds). */
  plan(target: ProcessIdentity, tree: boolean, rows: SocketRow[]): Promise<KillPlan>;
  kill(req: KillRequest): Promise<KillResult>;
  /** What freeing a port would do (every holder of its listening sockets, as trees); sends nothing. */
  planFreePort(port: number, protocol: Protocol | null, rows: SocketRow[]): Promise<FreePortPlan>;
  /** End the holders of a port the user saw, then ask the kernel whether the port is free. */
  freePort(req: FreePortRequest): Promise<FreePortResult>;
}
