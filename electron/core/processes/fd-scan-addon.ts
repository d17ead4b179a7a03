import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { addonCandidates } from '../sources/netlink/sock-diag-addon';

/** What the fd-scan addon (native/fd_scan.c) answers for one walk of /proc. */
export interface FdScanResult {
  /** PAIR_WORDS native-endian uint32 per socket fd: inode low word, inode high word, PID. */
  pairs: Buffer;
  /** Processes whose fd table was read. */
  processes: number;
  /** fd links read. */
  fds: number;
}

/** The addon's exports. */
export interface FdScanAddon {
  /** Every socket fd of every readable process under `procRoot`; throws when it cannot list it. */
  scan(procRoot: string): FdScanResult;
  /** The same walk on a worker thread (absent from an addon built before it existed). */
  scanAsync?(procRoot: string): Promise<FdScanResult>;
  pairWords: number;
}

export const PAIR_WORDS = 3;
export const FD_SCAN_FILE = 'fd_scan.node';

/** Where the built addon may be: beside sock_diag.node (out/native, or app.asar.unpacked). */
export function fdScanCandidates(): string[] {
  return addonCandidates().map((p) => join(dirname(p), FD_SCAN_FILE));
}

let loaded: FdScanAddon | null | undefined;

/**
 * Load the fd-scan addon once, or null when it cannot be loaded here (another OS, not built, an
 * ABI it does not fit, or PORTSCOPE_NO_NATIVE_FD_SCAN=1 to force the JS walk). Never throws.
 */
export function loadFdScan(candidates?: string[]): FdScanAddon | null {
  if (!candidates && loaded !== undefined) return loaded;
  let found: FdScanAddon | null = null;
  if (process.platform === 'linux' && process.env.PORTSCOPE_NO_NATIVE_FD_SCAN !== '1') {
    for (const file of candidates ?? fdScanCandidates()) {
      try {
        if (!existsSync(file) || basename(file) !== FD_SCAN_FILE) continue;
        const mod = createRequire(file)(file) as Partial<FdScanAddon>;
        if (typeof mod.scan === 'function' && mod.pairWords === PAIR_WORDS) {
          found = mod as FdScanAddon;
          break;
        }
      } catch {
        // A file that does not load is the same as no file: the JS walk does the same work.
      }
    }
  }
  if (!candidates) loaded = found;
  return found;
}

/**
 * inode → holder PIDs (each PID once, in /proc's order) for the `inodes` asked for, from one
 * native walk. The walk reads every fd table, as the JS one does (see scanSocketHolders).
 */
export function holdersFromPairs(pairs: Buffer, inodes: ReadonlySet<number>): Map<number, number[]> {
  const holders = new Map<number, number[]>();
  // The addon's own allocation is aligned; a copy makes any other Buffer so.
  const bytes = pairs.byteOffset % 4 === 0 ? pairs : Buffer.from(pairs);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, bytes.byteLength >>> 2);
  for (let i = 0; i + 2 < words.length; i += PAIR_WORDS) {
    const inode = (words[i] as number) + (words[i + 1] as number) * 0x1_0000_0000;
    if (!inodes.has(inode)) continue;
    const pid = words[i + 2] as number;
    const list = holders.get(inode);
    if (!list) holders.set(inode, [pid]);
    else if (!list.includes(pid)) list.push(pid);
  }
  return holders;
}
