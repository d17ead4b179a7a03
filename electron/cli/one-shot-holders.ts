import { type FdScanResult, holdersFromPairs, loadFdScan } from '../core/processes/fd-scan-addon';
import { InodeOwners } from '../core/processes/inode-owners';
import { parentFirst, scanSocketHolders } from '../core/processes/socket-holders-scan';

/**
 * Start the walk of every fd table on a worker thread now, while the caller loads the engine and
 * reads the socket tables (both take tens of ms: on two cores the walk is then mostly hidden).
 * Null where the addon has no worker-thread walk (OneShotHolders then walks when asked).
 */
export function startEarlyScan(procRoot = '/proc'): Promise<FdScanResult> | null {
  if (process.platform !== 'linux') return null;
  const addon = loadFdScan();
  const early = addon?.scanAsync?.(procRoot) ?? null;
  // Never an unhandled rejection: resolve() falls back to its own walk on any failure.
  early?.catch(() => {});
  return early;
}

/**
 * Holders of exactly the inodes asked for, found by one pass over every fd table (see
 * scanSocketHolders for why every table), parent first. Plugs into the engine in place of the
 * long-lived incremental index a monitor keeps: a one-shot `list` or `who` has nothing to keep,
 * so it reads each fd link once and remembers only the sockets it was asked about (no per-process
 * fd map, no fd-count stat).
 *
 * With an `early` walk (startEarlyScan, begun before the socket tables were read) its answer is
 * used when it places every inode asked for. A socket it cannot place may have been opened after
 * it began, so then the whole walk is done again, after the tables were read, exactly as without
 * it: every socket is still looked for in a walk that began after it was listed, unless the
 * earlier walk already found it. (A process that held a socket all along is found either way.)
 */
export class OneShotHolders extends InodeOwners {
  private found = new Map<number, number[]>();

  constructor(
    private early: Promise<FdScanResult> | null = null,
    private readonly root = '/proc',
  ) {
    super(root);
  }

  override async resolve(inodes: Iterable<number>): Promise<{ get(inode: number): number[] }> {
    const wanted = new Set<number>();
    for (const i of inodes) if (i !== 0) wanted.add(i);
    let holders: Map<number, number[]> | null = null;
    if (this.early) {
      const r = await this.early.catch(() => null);
      this.early = null;
      if (r) {
        this.scans++;
        this.reads += r.processes;
        holders = holdersFromPairs(r.pairs, wanted);
        if (holders.size < wanted.size) holders = null;
      }
    }
    if (!holders) {
      const scan = scanSocketHolders(wanted, this.root);
      this.scans++;
      this.reads += scan.processes;
      holders = scan.holders;
    }
    this.found = new Map();
    // The lists are this walk's own: a single holder needs no ordering and no copy.
    for (const [inode, pids] of holders)
      this.found.set(inode, pids.length < 2 ? pids : parentFirst(pids, this.root));
    return { get: (inode) => this.holdersOf(inode) };
  }

  override holdersOf(inode: number): number[] {
    return this.found.get(inode) ?? [];
  }

  /** One read, no previous poll: nothing can have been lost "during this poll". */
  override closingWithOwner(): boolean {
    return false;
  }
}
