import type { Scope } from '../../shared/model';
import { createEngine } from '../core/engine/engine';
import { defaultSources } from '../core/sources/default-sources';
import type { RawSocket, Source } from '../core/sources/types';
import type { CollectResult } from './io';
import { OneShotHolders, startEarlyScan } from './one-shot-holders';

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
 * `who`'s collect: the port's sockets first (netlink, the kernel filtering by state; else
 * /proc/net), then only the holders of those inodes and only their process metadata. Same rows,
 * same engine rules as a full `collect`, filtered to the port.
 */
export async function collectPort(port: number, scope: Scope): Promise<CollectResult> {
  const sources = defaultSources().map((s) => onPort(s, port));
  const holders = process.platform === 'linux' ? new OneShotHolders(startEarlyScan()) : null;
  const engine = createEngine({ sources, holders });
  const result = await engine.collect(scope);
  return { rows: result.rows, errors: result.errors, source: engine.sourceName?.() ?? 'unknown' };
}
