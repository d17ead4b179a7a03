import { execTool } from '../exec-tool';
import type { CollectOptions, RawSocket, Source } from '../types';
import { parseSs } from './ss-parse';

/**
 * Linux supplement for when /proc/net cannot be read: `ss -uanp` lists the bound, unconnected UDP
 * sockets that si.networkConnections() drops. Only UDP, so merged with si there are no duplicates.
 */
export class SsUdpSource implements Source {
  readonly name = 'ss-udp';
  readonly tool = 'ss';

  constructor(private readonly opts: { pathEnv?: string; bin?: string } = {}) {}

  async collect({ scope, signal }: CollectOptions): Promise<RawSocket[]> {
    const out = await execTool(this.opts.bin ?? 'ss', ['-uanp'], {
      signal,
      ...(this.opts.pathEnv !== undefined ? { pathEnv: this.opts.pathEnv } : {}),
      hint: 'Install iproute2 (ss) to see UDP sockets.',
    });
    const rows = parseSs(out, 'udp');
    return scope === 'all' ? rows : rows.filter((r) => r.state === 'UNCONN');
  }
}
