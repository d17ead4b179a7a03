import { parseStrictInt } from '../../../../shared/numbers';
import { cleanAddress, familyOf, normalizeState } from '../net-names';
import type { RawSocket } from '../types';

/** The shape si.networkConnections() returns (its ports are strings, '*' when unset). */
export interface SiConnection {
  protocol: string;
  localAddress: string;
  localPort: string | number;
  peerAddress: string;
  peerPort: string | number;
  state: string;
  pid: number | null;
  process: string;
}

function port(value: string | number): number | null {
  return parseStrictInt(String(value), 0, 65535);
}

/** netstat prints an IPv4-mapped address on a tcp6 socket as plain a.b.c.d: restore ::ffff:. */
function asFamily(address: string, family: 4 | 6): string {
  if (family === 4 || address.includes(':')) return address;
  return address === '0.0.0.0' ? '::' : `::ffff:${address}`;
}

/**
 * Map si.networkConnections() rows to RawSocket. Rows without a valid local port are dropped;
 * 'tcp6'/'udp6' set the family; a peer port of '*' or 0 means not connected. A PID that is not a
 * positive integer is treated as unknown.
 */
export function parseSiConnections(list: readonly SiConnection[]): RawSocket[] {
  const rows: RawSocket[] = [];
  for (const c of list) {
    const proto = String(c.protocol).toLowerCase();
    const protocol = proto.startsWith('tcp') ? 'tcp' : proto.startsWith('udp') ? 'udp' : null;
    const localPort = port(c.localPort);
    if (!protocol || localPort === null) continue;
    const localAddress = cleanAddress(c.localAddress);
    const family = proto.endsWith('6') ? 6 : familyOf(localAddress);
    const remotePort = port(c.peerPort);
    const connected = remotePort !== null && remotePort !== 0;
    const pid = parseStrictInt(String(c.pid ?? ''), 1, 4_294_967_295);
    const state = normalizeState(c.state);
    const row: RawSocket = {
      protocol,
      family,
      localAddress: asFamily(localAddress, family),
      localPort,
      remoteAddress: connected ? asFamily(cleanAddress(c.peerAddress), family) : null,
      remotePort: connected ? remotePort : null,
      // Some platforms report bound UDP with an empty state.
      state: protocol === 'udp' && state === 'UNKNOWN' && !connected ? 'UNCONN' : state,
      pid,
    };
    if (c.process) row.processName = c.process;
    rows.push(row);
  }
  return rows;
}
