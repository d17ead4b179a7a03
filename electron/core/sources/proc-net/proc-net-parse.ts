import { endianness } from 'node:os';
import type { Family, Protocol, Scope } from '../../../../shared/model';
import { procHexState } from '../net-names';
import type { RawSocket } from '../types';

/** One row of /proc/net/{tcp,tcp6,udp,udp6}, with the socket inode used to find its holders and its uid. */
export interface ProcNetRow extends RawSocket {
  inode: number;
  uid: number;
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
 * Decoded addresses by hex text. A busy table repeats a handful of addresses thousands of times
 * (127.0.0.1, 0.0.0.0, ::), so decoding each once is most of the parser's speed.
 */
const decoded = new Map<string, string>();

function address(hex: string, little: boolean): string {
  const key = little === LITTLE ? hex : `${little ? 'L' : 'B'}${hex}`;
  let text = decoded.get(key);
  if (text === undefined) {
    if (decoded.size > 4096) decoded.clear();
    text = decodeProcAddress(hex, little);
    decoded.set(key, text);
  }
  return text;
}

/**
 * Parse the text of one /proc/net table. The kernel prints fixed-width columns
 * ("%4d: %08X:%04X %08X:%04X %02X ..."), so fields up to the state are read by offset; rows the
 * scope does not want are skipped before anything is decoded, so a 'listening' poll stays cheap.
 */
export function parseProcNet(
  text: string,
  protocol: Protocol,
  family: Family,
  scope: Scope = 'all',
  little = LITTLE,
): ProcNetRow[] {
  const rows: ProcNetRow[] = [];
  const fields = { uid: 0, inode: 0 };
  const alen = family === 6 ? 32 : 8;
  let pos = text.indexOf('\n') + 1; // skip the header line
  while (pos > 0 && pos < text.length) {
    let end = text.indexOf('\n', pos);
    if (end < 0) end = text.length;
    const lineStart = pos;
    pos = end + 1;
    const colon = text.indexOf(':', lineStart);
    if (colon < 0 || colon > end) continue;
    const l = colon + 2; // local address
    const r = l + alen + 6; // remote address
    const stAt = r + alen + 6;
    if (text[l + alen] !== ':' || text[r + alen] !== ':' || text[stAt - 1] !== ' ') continue;
    const st = text.slice(stAt, stAt + 2).toUpperCase();
    if (!wanted(protocol, st, scope)) continue;
    const lPort = text.slice(l + alen + 1, l + alen + 5);
    const rPort = text.slice(r + alen + 1, r + alen + 5);
    if (!HEX_PORT.test(lPort) || !HEX_PORT.test(rPort)) continue;
    if (!uidAndInode(text, stAt + 2, end, fields)) continue;
    const remotePort = Number.parseInt(rPort, 16);
    const connected = remotePort !== 0;
    rows.push({
      protocol,
      family,
      localAddress: address(text.slice(l, l + alen), little),
      localPort: Number.parseInt(lPort, 16),
      remoteAddress: connected ? address(text.slice(r, r + alen), little) : null,
      remotePort: connected ? remotePort : null,
      state: procHexState(st, protocol),
      pid: null,
      inode: fields.inode,
      uid: fields.uid,
    });
  }
  return rows;
}

/**
 * The uid and the inode: after the state come tx:rx, tr:when, retrnsmt, uid, timeout, inode, with
 * padding that varies. Scanned by hand (no split, no regex) because this runs once per socket per
 * poll. False when either field is not plain digits.
 */
function uidAndInode(text: string, from: number, end: number, out: { uid: number; inode: number }): boolean {
  let i = from;
  for (let token = 0; token < 6; token++) {
    while (i < end && text.charCodeAt(i) === 32) i++;
    const start = i;
    while (i < end && text.charCodeAt(i) !== 32) i++;
    if (token !== 3 && token !== 5) continue;
    const n = digits(text, start, i);
    if (n < 0) return false;
    if (token === 3) out.uid = n;
    else out.inode = n;
  }
  return true;
}

/** The decimal number in text[start, end), or -1 when empty or not plain digits. */
function digits(text: string, start: number, end: number): number {
  if (start === end) return -1;
  let n = 0;
  for (let k = start; k < end; k++) {
    const c = text.charCodeAt(k) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}
