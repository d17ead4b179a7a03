import type { Family, Protocol, SocketState } from '../../../../shared/model';
import { procHexState } from '../net-names';
import type { RawSocket } from '../types';
import {
  FLAG_TCP_INFO,
  FLAG_V6ONLY,
  FLAG_V6ONLY_KNOWN,
  RECORD_WORDS,
  type SockDiagDump,
  W,
} from './sock-diag-addon';

/** TCP info kept from INET_DIAG_INFO, for later use (not shown yet). */
export interface TcpInfo {
  /** Smoothed round-trip time, µs. */
  rttUs: number;
  rttVarUs: number;
  bytesAcked: number;
  bytesReceived: number;
}

/** A socket as netlink reports it: a RawSocket plus what only the kernel's diag interface knows. */
export interface NetlinkSocket extends RawSocket {
  inode: number;
  cookie: string;
  uid: number;
  device: string | null;
  v6only: boolean | null;
  zone: string | null;
  tcp?: TcpInfo;
}

const IPPROTO_TCP = 6;
const AF_INET6 = 10;

/** Kernel state code → model state, per protocol, worked out once (same names as /proc/net gives). */
function stateTable(protocol: Protocol): SocketState[] {
  const t: SocketState[] = [];
  for (let i = 0; i < 16; i++) t.push(procHexState(i.toString(16).toUpperCase().padStart(2, '0'), protocol));
  return t;
}
const TCP_STATES = stateTable('tcp');
// A TCP socket in TCP_CLOSE reaches a dump only through the kernel's walk of bound sockets (asked
// for with the TCP_BOUND_INACTIVE bit, Linux 6.7+): bound to a port, neither listening nor
// connected. The kernel reports it as TCP_CLOSE ("ss -t state bound-inactive" prints UNCONN).
TCP_STATES[7] = 'BOUND';
const UDP_STATES = stateTable('udp');

/** 64-bit cookie as decimal text; exact above 2^53 too (BigInt only there). */
function cookieText(lo: number, hi: number): string {
  if (hi === 0) return String(lo);
  if (hi < 0x200000) return String(hi * 0x100000000 + lo);
  return ((BigInt(hi) << 32n) | BigInt(lo)).toString();
}

/** fe80::/10: the interface index of such an address is its scope (zone), as `fe80::1%eth0`. */
function linkLocal(address: string): boolean {
  return (
    address.length > 3 &&
    address.charCodeAt(0) === 102 &&
    address.charCodeAt(1) === 101 &&
    '89ab'.includes(address[2] as string)
  );
}

/** Turn one packed dump into rows (no holders: the engine joins them from the inodes). */
export function decodeDump(dump: SockDiagDump): NetlinkSocket[] {
  const { records, strings } = dump;
  const words = new Uint32Array(records.buffer, records.byteOffset, records.byteLength >>> 2);
  const n = Math.floor(words.length / RECORD_WORDS);
  const out: NetlinkSocket[] = new Array(n);
  for (let i = 0, o = 0; i < n; i++, o += RECORD_WORDS) {
    const tcp = words[o + W.proto] === IPPROTO_TCP;
    const family: Family = words[o + W.family] === AF_INET6 ? 6 : 4;
    const flags = words[o + W.flags] as number;
    const rport = words[o + W.rport] as number;
    const dev = words[o + W.dev] as number;
    const localAddress = strings[words[o + W.laddr] as number] as string;
    const device = dev === 0 ? null : (strings[dev - 1] as string);
    const row: NetlinkSocket = {
      protocol: tcp ? 'tcp' : 'udp',
      family,
      localAddress,
      localPort: words[o + W.lport] as number,
      remoteAddress: rport === 0 ? null : (strings[words[o + W.raddr] as number] as string),
      remotePort: rport === 0 ? null : rport,
      state: (tcp ? TCP_STATES : UDP_STATES)[(words[o + W.state] as number) & 15] as SocketState,
      pid: null,
      inode: words[o + W.inode] as number,
      cookie: cookieText(words[o + W.cookieLo] as number, words[o + W.cookieHi] as number),
      uid: words[o + W.uid] as number,
      device,
      v6only: family === 6 && flags & FLAG_V6ONLY_KNOWN ? (flags & FLAG_V6ONLY) !== 0 : null,
      zone: device !== null && family === 6 && linkLocal(localAddress) ? device : null,
    };
    if (flags & FLAG_TCP_INFO) {
      row.tcp = {
        rttUs: words[o + W.rtt] as number,
        rttVarUs: words[o + W.rttvar] as number,
        bytesAcked: (words[o + W.ackedHi] as number) * 0x100000000 + (words[o + W.ackedLo] as number),
        bytesReceived: (words[o + W.recvHi] as number) * 0x100000000 + (words[o + W.recvLo] as number),
      };
    }
    out[i] = row;
  }
  return out;
}
