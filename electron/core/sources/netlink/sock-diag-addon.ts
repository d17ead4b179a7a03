import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, isAbsolute, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the native addon (sock_diag.c) answers for one dump. */
export interface SockDiagDump {
  /** RECORD_WORDS little-endian uint32 per socket, layout in {@link W}. */
  records: Buffer;
  /** Addresses and device names the records point into (deduplicated). */
  strings: string[];
  /** Per table (tcp4, tcp6, udp4, udp6): 0, or the errno the kernel answered. */
  errors: number[];
}

/** The addon's exports. */
export interface SockDiagAddon {
  /** Dump TCP and UDP over IPv4 and IPv6, the kernel keeping only the given states (1 << TCP_xxx). */
  /**
   * `into`: a Buffer to copy the records into when they fit (the answer's `records` is then that
   * Buffer, and `size` how many of its bytes are the answer); else `records` is a new Buffer.
   */
  dump(
    tcpStates: number,
    udpStates: number,
    tcpInfo: boolean,
    perFamily?: boolean,
    into?: Buffer,
  ): Promise<SockDiagDump & { size?: number }>;
  /** dump() on the calling thread (for small tables). Absent from an addon built before it existed. */
  dumpSync?(
    tcpStates: number,
    udpStates: number,
    tcpInfo: boolean,
    perFamily?: boolean,
    into?: Buffer,
  ): SockDiagDump & { size?: number };
  /** 0 when this kernel can dump TCP and UDP sockets, else the errno. */
  probe(): number;
  /**
   * SOCK_DESTROY of one TCP socket, only while its cookie is still `cookie` (sock_destroy.h);
   * 0 or the errno. Absent from an addon built before it existed.
   */
  destroy?(
    family: 4 | 6,
    local: Uint8Array,
    localPort: number,
    remote: Uint8Array,
    remotePort: number,
    cookie: bigint,
  ): number;
  recordWords: number;
}

/** Word offsets inside one record; kept in step with the enum in sock_diag.c. */
export const W = {
  proto: 0,
  family: 1,
  state: 2,
  flags: 3,
  lport: 4,
  rport: 5,
  laddr: 6,
  raddr: 7,
  inode: 8,
  uid: 9,
  dev: 10,
  cookieLo: 11,
  cookieHi: 12,
  rtt: 13,
  rttvar: 14,
  ackedLo: 15,
  ackedHi: 16,
  recvLo: 17,
  recvHi: 18,
  table: 19,
} as const;
export const RECORD_WORDS = 20;
export const FLAG_V6ONLY_KNOWN = 1;
export const FLAG_V6ONLY = 2;
export const FLAG_TCP_INFO = 4;

export const ADDON_FILE = 'sock_diag.node';

/**
 * The folder of this module. ESM and vitest have import.meta.url; the CJS bundles have __dirname
 * (where import.meta is empty). tsx gives ESM-imported .ts files a relative __dirname ('.'), so an
 * absolute file URL wins when there is one.
 */
function here(): string {
  const url = typeof import.meta === 'object' ? import.meta.url : undefined;
  if (typeof url === 'string' && url.startsWith('file:')) return dirname(fileURLToPath(url));
  return typeof __dirname === 'string' && isAbsolute(__dirname) ? __dirname : process.cwd();
}

/**
 * Where the built addon may be, relative to the running file: the CLI bundle (out/cli) and the
 * Electron main (out/main) find it in ../native; inside a packaged app the .node file lives in
 * app.asar.unpacked (a shared object cannot be loaded from inside an archive); in dev and tests
 * (this file under electron/core/sources/netlink) it is the repo's out/native.
 */
export function addonCandidates(dir: string = here()): string[] {
  const list = [
    join(dir, '..', 'native', ADDON_FILE),
    join(dir, '..', '..', '..', '..', 'out', 'native', ADDON_FILE),
  ];
  const asar = `${sep}app.asar${sep}`;
  const out: string[] = [];
  for (const p of list) {
    if (p.includes(asar)) out.push(p.replace(asar, `${sep}app.asar.unpacked${sep}`));
    out.push(p);
  }
  return out;
}

/**
 * Load the sock_diag addon, or null when it cannot be loaded here: another OS, no built file, an
 * ABI it does not fit, or PORTSCOPE_NO_NETLINK=1 (to force the /proc/net fallback). Never throws.
 */
export function loadSockDiag(candidates: string[] = addonCandidates()): SockDiagAddon | null {
  if (process.platform !== 'linux' || process.env.PORTSCOPE_NO_NETLINK === '1') return null;
  for (const file of candidates) {
    try {
      // Inside an asar, existsSync is answered by Electron's archive layer too; require does the rest.
      if (!existsSync(file)) continue;
      const mod = createRequire(file)(file) as Partial<SockDiagAddon>;
      if (
        typeof mod.dump === 'function' &&
        typeof mod.probe === 'function' &&
        mod.recordWords === RECORD_WORDS
      )
        return mod as SockDiagAddon;
    } catch {
      // A file that does not load (wrong arch, missing symbol) is the same as no file: fall back.
    }
  }
  return null;
}
