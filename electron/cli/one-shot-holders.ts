import { InodeOwners } from '../core/processes/inode-owners';
import { parentFirst, scanSocketHolders } from '../core/processes/socket-holders-scan';

/**
 * Holders of exactly the inodes asked for, found by one pass over every fd table (see
 * scanSocketHolders for why every table), parent first. Plugs into the engine in place of the
 * long-lived incremental index a monitor keeps: a one-shot `list` or `who` has nothing to keep,
 * so it reads each fd link once and remembers only the sockets it was asked about (no per-process
 * fd map, no fd-count stat).
 */
export class OneShotHolders extends InodeOwners {
  private found = new Map<number, number[]>();

  override async resolve(inodes: Iterable<number>): Promise<{ get(inode: number): number[] }> {
    const wanted = new Set<number>();
    for (const i of inodes) if (i !== 0) wanted.add(i);
    const scan = scanSocketHolders(wanted);
    this.scans++;
    this.reads += scan.processes;
    this.found = new Map([...scan.holders].map(([inode, pids]) => [inode, parentFirst(pids)]));
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
