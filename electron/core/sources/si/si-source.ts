import { loadSi } from '../../lazy/systeminformation';
import { type CollectOptions, type RawSocket, type Source, SourceFailure } from '../types';
import { findOnPath } from '../which';
import { parseSiConnections, type SiConnection } from './si-parse';

/** The tools si.networkConnections() shells out to, per platform (lib/network.js). */
function toolsFor(platform: NodeJS.Platform): string[] {
  if (platform === 'linux') return ['netstat', 'ss'];
  if (platform === 'darwin') return ['netstat', 'lsof'];
  if (platform === 'win32') return ['netstat'];
  return ['netstat', 'sockstat'];
}

/**
 * The portable default source: si.networkConnections(). systeminformation swallows a missing
 * tool and returns an empty list, so an empty answer is checked against PATH: no tool means a
 * visible 'missing' error, never a silently empty table.
 */
export class SiSource implements Source {
  readonly name = 'systeminformation';
  readonly tool: string;

  constructor(private readonly platform: NodeJS.Platform = process.platform) {
    this.tool = toolsFor(platform).join('/');
  }

  async collect({ scope, signal }: CollectOptions): Promise<RawSocket[]> {
    const list = (await (await loadSi()).networkConnections()) as SiConnection[];
    signal.throwIfAborted();
    if (list.length === 0 && !toolsFor(this.platform).some((t) => findOnPath(t))) {
      throw new SourceFailure(
        'missing',
        `none of ${this.tool} found on PATH`,
        this.tool,
        this.platform === 'linux' ? 'Install iproute2 (ss) or net-tools (netstat).' : 'Install netstat.',
      );
    }
    const rows = parseSiConnections(list);
    return scope === 'all' ? rows : rows.filter((r) => r.state === 'LISTEN' || r.state === 'UNCONN');
  }
}
