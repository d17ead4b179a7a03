import { open } from 'node:fs/promises';
import type { Family, Protocol } from '../../../../shared/model';
import { type CollectOptions, type Source, SourceFailure } from '../types';
import { type ProcNetRow, parseProcNet } from './proc-net-parse';

const TABLES: { file: string; protocol: Protocol; family: Family }[] = [
  { file: 'tcp', protocol: 'tcp', family: 4 },
  { file: 'tcp6', protocol: 'tcp', family: 6 },
  { file: 'udp', protocol: 'udp', family: 4 },
  { file: 'udp6', protocol: 'udp', family: 6 },
];

/**
 * Linux source: the kernel's own socket tables in /proc/net, with each socket's inode and uid (the
 * engine joins holders by inode). It sees what si.networkConnections() drops (bound, unconnected
 * UDP) and costs less than spawning `ss -tuanp`.
 */
export class ProcNetSource implements Source {
  readonly name = 'proc-net';
  readonly tool = '/proc/net';
  /** Read buffers kept between polls: a fresh 1 MiB buffer per table per tick was most of the GC. */
  private readonly buffers: Buffer[] = [];

  constructor(private readonly procRoot = '/proc') {}

  async collect({ scope, signal }: CollectOptions): Promise<ProcNetRow[]> {
    const parsed: ProcNetRow[] = [];
    const texts = await Promise.all(
      TABLES.map(async (t) => {
        const path = `${this.procRoot}/net/${t.file}`;
        try {
          return { t, text: await readWhole(path, signal, this.buffers) };
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
    return parsed;
  }
}

/**
 * Read a /proc table with few, large read() calls. The kernel generates these files as they are
 * read and fills as much of the buffer as it is given, so 1 MiB reads cost far fewer syscalls than
 * readFile's small chunks (measured: ~30% less system time on a 6,000-socket table). The text is
 * ASCII, so latin1 decoding is exact and cheaper than UTF-8.
 */
async function readWhole(path: string, signal: AbortSignal, pool: Buffer[]): Promise<string> {
  const fh = await open(path, 'r');
  let buf = pool.pop() ?? Buffer.allocUnsafe(256 * 1024);
  try {
    let len = 0;
    for (;;) {
      signal.throwIfAborted();
      if (len === buf.length) {
        const bigger = Buffer.allocUnsafe(buf.length * 2);
        buf.copy(bigger);
        buf = bigger;
      }
      const { bytesRead } = await fh.read(buf, len, buf.length - len, null);
      if (bytesRead === 0) break;
      len += bytesRead;
    }
    return buf.toString('latin1', 0, len);
  } finally {
    pool.push(buf);
    await fh.close();
  }
}
