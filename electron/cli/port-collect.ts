import type { Scope } from '../../shared/model';
import { createEngine } from '../core/engine/engine';
import { InodeOwners } from '../core/processes/inode-owners';
import { parentFirst, scanSocketHolders } from '../core/processes/socket-holders-scan';
import { defaultSources } from '../core/sources/default-sources';
import type { RawSocket, Source } from '../core/sources/types';
import type { CollectResult } from './io';

/** A source that keeps only the sockets whose local port is `port` (the kernel already filtered states). */
function onPort(source: Source, port: number): Source {
  return {
    name: source.name,
    tool: source.tool,
    collect: async (options) =>
      (await source.collect(options)).filter((r: RawSocket) => r.localPort === port),
  };
}

/**
 * Holders of exactly the inodes asked for, found by one pass over every fd table (see
 * scanSocketHolders for why every table), parent first. Plugs into the engine in place of the
 * long-lived incremental index a monitor keeps: a one-shot `who` has nothing to keep.
 */
class PortHolders extends InodeOwners {
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

/**
 * `who`'s collect: the port's sockets first (netlink, the kernel filtering by state; else
 * /proc/net), then only the holders of those inodes and only their process metadata. Same rows,
 * same engine rules as a full `collect`, filtered to the port.
 */
export async function collectPort(port: number, scope: Scope): Promise<CollectResult> {
  const sources = defaultSources().map((s) => onPort(s, port));
  const holders = process.platform === 'linux' ? new PortHolders() : null;
  const engine = createEngine({ sources, holders });
  const result = await engine.collect(scope);
  return { rows: result.rows, errors: result.errors, source: engine.sourceName?.() ?? 'unknown' };
}
