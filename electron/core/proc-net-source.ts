import { readFile } from 'node:fs/promises';
import type { Family, Protocol } from '../../shared/model';
import { InodeOwners } from './inode-owners';
import { type ProcNetRow, parseProcNet } from './proc-net-parse';
import { type CollectOptions, type RawSocket, type Source, SourceFailure } from './types';

const TABLES: { file: string; protocol: Protocol; family: Family }[] = [
  { file: 'tcp', protocol: 'tcp', family: 4 },
  { file: 'tcp6', protocol: 'tcp', family: 6 },
  { file: 'udp', protocol: 'udp', family: 4 },
  { file: 'udp6', protocol: 'udp', family: 6 },
];

/**
 * Linux source: the kernel's own socket tables in /proc/net, joined with owners through a cached
 * inode → PID map. It sees what si.networkConnections() drops (bound, unconnected UDP) and, with
 * the cache warm, costs less than spawning `ss -tuanp`.
 */
export class ProcNetSource implements Source {
  readonly name = 'proc-net';
  readonly tool = '/proc/net';
  readonly owners: InodeOwners;

  constructor(private readonly procRoot = '/proc') {
    this.owners = new InodeOwners(procRoot);
  }

  async collect({ scope, signal }: CollectOptions): Promise<RawSocket[]> {
    const parsed: ProcNetRow[] = [];
    const texts = await Promise.all(
      TABLES.map(async (t) => {
        const path = `${this.procRoot}/net/${t.file}`;
        try {
          return { t, text: await readFile(path, { encoding: 'utf8', signal }) };
        } catch (err) {
          const code = (err as NodeJS.ErrnoException).code;
          // A kernel without IPv6 has no tcp6/udp6: that is absence, not failure.
          if (code === 'ENOENT' && t.family === 6) return { t, text: '' };
          if (code === 'ENOENT') throw new SourceFailure('missing', `${path} does not exist`, path);
          if (code === 'EACCES' || code === 'EPERM')
            throw new SourceFailure(
              'permission',
              `cannot read ${path}`,
              path,
              'Check /proc mount options (hidepid).',
            );
          throw err;
        }
      }),
    );
    for (const { t, text } of texts) {
      if (text) for (const r of parseProcNet(text, t.protocol, t.family, scope)) parsed.push(r);
    }
    const present = new Set<number>();
    for (const r of parsed) if (r.inode !== 0) present.add(r.inode);
    const owners = await this.owners.resolve(present);
    // Keep the cache the size of what this scope shows (a scope switch costs one rescan).
    this.owners.retainOnly(present);
    return parsed.map(({ inode, ...row }) => ({
      ...row,
      pid: inode === 0 ? null : (owners.get(inode) ?? null),
    }));
  }
}
