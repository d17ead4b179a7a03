import { endianness } from 'node:os';
import type { Family, Protocol, Scope } from '../../shared/model';
import { procHexState } from './net-names';
import type { RawSocket } from './types';

/** One row of /proc/net/{tcp,tcp6,udp,udp6}, with the socket inode used to find its owner. */
export interface ProcNetRow extends Omit<RawSocket, 'pid' | 'processName'> {
  inode: number;
}

const LITTLE = endianness() === 'LE';
/** Ports in /proc/net are exactly four hex digits; anything else is not a row we trust. */
const HEX_PORT = /^[0-9A-Fa-f]{4}$/;

/** A 32-bit word as the kernel prints it (%08X of the in-memory value) → its 4 bytes in network order. */
function wordBytes(hex: string, little: boolean): number[] {
  const b = [0, 2, 4, 6].map((i) => Number.parseInt(hex.slice(i, i + 2), 16));
  return little ? b.reverse() : b;
}

/**
 * Decode a /proc/net address ("0100007F" or 32 hex digits for IPv6). IPv4-mapped IPv6 addresses
 * come out as ::ffff:a.b.c.d, the way ss and Node print them.
 */
export function decodeProcAddress(hex: string, little = LITTLE): string {
  if (hex.length === 8) return wordBytes(hex, little).join('.');
  const bytes: number[] = [];
  for (let i = 0; i < 32; i += 8) bytes.push(...wordBytes(hex.slice(i, i + 8), little));
  const isMapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  if (isMapped) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  return compressV6(groups);
}

/** RFC 5952 text form: lowercase, longest run (≥2) of zero groups replaced by '::'. */
function compressV6(groups: number[]): string {
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestLen < 2) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

/** Which state codes a scope keeps: 'listening' is LISTEN TCP (0A) and unconnected UDP (07). */
function wanted(protocol: Protocol, st: string, scope: Scope): boolean {
  if (scope === 'all') return true;
  return protocol === 'tcp' ? st === '0A' : st === '07';
}

/**
 * Parse the text of one /proc/net table. Rows the scope does not want are skipped before their
 * addresses are decoded, so a 'listening' poll on a busy machine stays cheap.
 */
export function parseProcNet(
  text: string,
  protocol: Protocol,
  family: Family,
  scope: Scope = 'all',
  little = LITTLE,
): ProcNetRow[] {
  const rows: ProcNetRow[] = [];
  let pos = text.indexOf('\n') + 1; // skip the header line
  while (pos > 0 && pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const line = text.slice(pos, end);
    pos = end + 1;
    const f = line.trim().split(/\s+/);
    // sl local rem st tx:rx tr:when retrnsmt uid timeout inode ...
    if (f.length < 10) continue;
    const st = (f[3] ?? '').toUpperCase();
    if (!wanted(protocol, st, scope)) continue;
    const [lAddr, lPort] = (f[1] ?? '').split(':');
    const [rAddr, rPort] = (f[2] ?? '').split(':');
    const inode = f[9] ?? '';
    if (!lAddr || !rAddr || !HEX_PORT.test(lPort ?? '') || !HEX_PORT.test(rPort ?? '')) continue;
    if (!/^\d+$/.test(inode)) continue;
    const remotePort = Number.parseInt(rPort as string, 16);
    const connected = remotePort !== 0;
    rows.push({
      protocol,
      family,
      localAddress: decodeProcAddress(lAddr, little),
      localPort: Number.parseInt(lPort as string, 16),
      remoteAddress: connected ? decodeProcAddress(rAddr, little) : null,
      remotePort: connected ? remotePort : null,
      state: procHexState(st, protocol),
      inode: Number(inode),
    });
  }
  return rows;
}
