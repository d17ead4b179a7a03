import type { Scope } from '../../../../shared/model';
import { type CollectOptions, type Source, SourceFailure } from '../types';
import { loadSockDiag, RECORD_WORDS, type SockDiagAddon, W } from './sock-diag-addon';
import { decodeDump, type NetlinkSocket } from './sock-diag-decode';

const TCP_CLOSE = 7;
const TCP_LISTEN = 10;
const ALL_STATES = 0xffffffff;
/**
 * The Listening scope: TCP LISTEN only (the kernel then never walks the established hash, so the
 * cost is the same with 10 or 10,000 connections) and unconnected UDP (state TCP_CLOSE).
 */
const TCP_LISTENING = 1 << TCP_LISTEN;
const UDP_UNCONNECTED = 1 << TCP_CLOSE;
/**
 * Up to this many sockets (as the last answer of the scope had) the dump runs on the calling
 * thread: ~2 ms at 3,000 sockets, measured, where handing it to the thread pool and the answer back
 * cost another 0.3 ms of wake-ups per poll. A bigger table goes to the pool (the event loop keeps
 * serving while the kernel walks 25,000 sockets).
 */
export const SYNC_MAX_SOCKETS = 4000;
/** What a kernel without IPv6 answers for an AF_INET6 dump: ENOENT, EINVAL, EOPNOTSUPP, EAFNOSUPPORT. */
const NO_FAMILY = new Set([2, 22, 95, 97]);
const TABLE_NAMES = ['tcp4', 'tcp6', 'udp4', 'udp6'];

/** Kernel state bit masks [TCP, UDP] a scope asks netlink for. */
export function statesFor(scope: Scope): [number, number] {
  return scope === 'all' ? [ALL_STATES, ALL_STATES] : [TCP_LISTENING, UDP_UNCONNECTED];
}

export interface NetlinkSourceOptions {
  /**
   * Ask for INET_DIAG_INFO (rtt, bytes sent/received) on TCP sockets in the All-sockets scope, where
   * the traffic columns need it (default true). Never in the Listening scope: a listener moves no
   * bytes, and that scope's cost must stay what it was.
   */
  tcpInfo?: boolean;
}

/**
 * Linux source: the kernel's socket tables through netlink sock_diag, the interface `ss` uses. It
 * gives what /proc/net cannot (socket cookie, bound device, IPv6 zone, v6only) and no text to
 * format or parse. Holders are not joined here: the engine does that from the inodes.
 */
export class NetlinkSource implements Source {
  readonly name = 'netlink';
  readonly tool = 'netlink sock_diag';
  /** The last answer and what it decoded to: an identical answer returns the very same list. */
  private last: { records: Buffer; strings: string[]; rows: NetlinkSocket[] } | null = null;
  /**
   * Buffers the addon copies each answer into, in turn (the last answer's, and a spare): a new
   * Buffer per poll is 2 MB of external memory a second at 25,000 sockets, which V8 answers with
   * full collections and resident growth.
   */
  private pool: Buffer[] = [];
  private dumping = false;
  /** Sockets in the last answer per scope: decides whether the next dump runs on this thread. */
  private sizes: Partial<Record<Scope, number>> = {};
  /** Sockets whose counters the last collect updated in place (null: it returned another list). */
  private lastMoved: NetlinkSocket[] | null = null;

  private constructor(
    private readonly addon: SockDiagAddon,
    private readonly options: NetlinkSourceOptions,
  ) {}

  /** A source when the addon loads and this kernel can dump TCP and UDP; else null (use /proc/net). */
  static create(
    addon: SockDiagAddon | null = loadSockDiag(),
    options: NetlinkSourceOptions = {},
  ): NetlinkSource | null {
    if (!addon) return null;
    try {
      return addon.probe() === 0 ? new NetlinkSource(addon, options) : null;
    } catch {
      return null;
    }
  }

  async collect({ scope, signal }: CollectOptions): Promise<NetlinkSocket[]> {
    this.lastMoved = null;
    signal.throwIfAborted();
    let dump: Awaited<ReturnType<SockDiagAddon['dump']>>;
    try {
      const [tcp, udp] = statesFor(scope);
      // One dump at a time writes into the spare; an overlapping one gets its own Buffer.
      const into = this.dumping ? undefined : this.spare();
      this.dumping = true;
      try {
        const info = scope === 'all' && this.options.tcpInfo !== false;
        const known = this.sizes[scope];
        const answer =
          this.addon.dumpSync && known !== undefined && known <= SYNC_MAX_SOCKETS
            ? this.addon.dumpSync(tcp, udp, info, false, into)
            : await this.addon.dump(tcp, udp, info, false, into);
        this.sizes[scope] = (answer.size ?? answer.records.length) / (RECORD_WORDS * 4);
        const records = answer.size === undefined ? answer.records : answer.records.subarray(0, answer.size);
        if (answer.records !== into) this.pool = [answer.records];
        dump = { records, strings: answer.strings, errors: answer.errors };
      } finally {
        if (into) this.dumping = false;
      }
    } catch (err) {
      const errno = (err as { errno?: number }).errno;
      const kind = errno === 1 || errno === 13 ? 'permission' : 'failed';
      throw new SourceFailure(kind, (err as Error).message, this.tool);
    }
    signal.throwIfAborted();
    dump.errors.forEach((errno, i) => {
      // No IPv6 in this kernel: its tables are absent, not broken.
      if (errno === 0 || (NO_FAMILY.has(errno) && i % 2 === 1)) return;
      throw new SourceFailure(
        'failed',
        `sock_diag ${TABLE_NAMES[i]} dump failed (errno ${errno})`,
        this.tool,
      );
    });
    return this.decodeUnlessSame(dump);
  }

  /**
   * The kernel's answer compared with the last one as packed records (a memcmp of ~80 bytes per
   * socket) and the few strings they point into. Equal means every field of every socket is equal,
   * in the same order: the last rows are returned as they are, so the engine can see by identity
   * that nothing changed and skip decode, merge, join and diff. Any difference, even one state of
   * one socket, decodes afresh.
   */
  private decodeUnlessSame(dump: Awaited<ReturnType<SockDiagAddon['dump']>>): NetlinkSocket[] {
    const last = this.last;
    if (last?.records.equals(dump.records) && sameStrings(last.strings, dump.strings)) {
      this.lastMoved = [];
      return last.rows;
    }
    // Only byte counters moved (in All sockets at least the viewer's own WebSocket moves data every
    // poll): the same sockets, so the same list, with the counters updated in place. The engine's
    // idle path then only re-rates the rows whose counters changed, instead of rebuilding all.
    const moved =
      last && sameStrings(last.strings, dump.strings) ? countersMoved(last.records, dump.records) : null;
    if (last && moved) {
      this.lastMoved = updateCounters(last.rows, dump.records, moved);
      this.last = { records: dump.records, strings: dump.strings, rows: last.rows };
      return last.rows;
    }
    const rows = decodeDump(dump);
    this.last = { records: dump.records, strings: dump.strings, rows };
    return rows;
  }

  /** A buffer not backing the last answer, with room for it and some growth. */
  private spare(): Buffer {
    const lastBytes = this.last?.records;
    const inUse = lastBytes?.buffer;
    const want = Math.ceil((lastBytes?.length ?? 0) * 1.25) + 256 * RECORD_WORDS * 4;
    let spare = this.pool.find((b) => b.buffer !== inUse);
    if (!spare || spare.length < want) {
      spare = Buffer.allocUnsafeSlow(want);
      this.pool = [...this.pool.filter((b) => b.buffer === inUse), spare];
    }
    return spare;
  }

  /**
   * The sockets whose tcp_info counters moved in the last collect, when it handed back the same
   * list as the collect before (updated in place); null when it returned a new list. The engine's
   * idle path then re-rates these rows only.
   */
  movedCounters(): readonly NetlinkSocket[] | null {
    return this.lastMoved;
  }
}

/**
 * When the two answers differ at most in tcp_info's counters (rtt and bytes: same sockets, order,
 * fields), the indexes of the sockets whose counters differ; else null. One pass over the records.
 */
function countersMoved(a: Buffer, b: Buffer): number[] | null {
  if (a.length !== b.length || a.length % (RECORD_WORDS * 4) !== 0) return null;
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length >>> 2);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length >>> 2);
  const moved: number[] = [];
  for (let o = 0, i = 0; o < x.length; o += RECORD_WORDS, i++) {
    let counters = false;
    for (let w = 0; w < RECORD_WORDS; w++) {
      if (x[o + w] === y[o + w]) continue;
      if (w < W.rtt || w > W.recvHi) return null; // rtt, rttvar, bytes acked/received only
      counters = true;
    }
    if (counters) moved.push(i);
  }
  return moved;
}

/** Put the new answer's tcp_info counters on the sockets at `moved` (record i is socket i); returns them. */
function updateCounters(rows: NetlinkSocket[], records: Buffer, moved: number[]): NetlinkSocket[] {
  const y = new Uint32Array(records.buffer, records.byteOffset, records.length >>> 2);
  const out: NetlinkSocket[] = [];
  for (const i of moved) {
    const row = rows[i] as NetlinkSocket;
    const tcp = row.tcp;
    if (!tcp) continue;
    const o = i * RECORD_WORDS;
    out.push(row);
    tcp.rttUs = y[o + W.rtt] as number;
    tcp.rttVarUs = y[o + W.rttvar] as number;
    tcp.bytesAcked = (y[o + W.ackedHi] as number) * 0x100000000 + (y[o + W.ackedLo] as number);
    tcp.bytesReceived = (y[o + W.recvHi] as number) * 0x100000000 + (y[o + W.recvLo] as number);
  }
  return out;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
