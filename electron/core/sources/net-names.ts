import type { Family, SocketState } from '../../../shared/model';

/**
 * Socket state names differ by tool: netstat says TIME_WAIT, ss says TIME-WAIT or ESTAB, the
 * kernel's /proc/net tables use hex codes. Everything is normalised to the model's names here.
 */
const NAMED: Record<string, SocketState> = {
  ESTABLISHED: 'ESTABLISHED',
  ESTAB: 'ESTABLISHED',
  SYN_SENT: 'SYN_SENT',
  SYN_RECV: 'SYN_RECV',
  SYN_RECEIVED: 'SYN_RECV',
  FIN_WAIT1: 'FIN_WAIT1',
  FIN_WAIT_1: 'FIN_WAIT1',
  FIN_WAIT2: 'FIN_WAIT2',
  FIN_WAIT_2: 'FIN_WAIT2',
  TIME_WAIT: 'TIME_WAIT',
  CLOSE: 'CLOSE',
  CLOSED: 'CLOSE',
  UNCONN: 'UNCONN',
  CLOSE_WAIT: 'CLOSE_WAIT',
  LAST_ACK: 'LAST_ACK',
  LISTEN: 'LISTEN',
  LISTENING: 'LISTEN',
  CLOSING: 'CLOSING',
};

/** Map a tool's state name (any case, '-' or '_') to the model's state; unknown names → UNKNOWN. */
export function normalizeState(name: string | null | undefined): SocketState {
  if (!name) return 'UNKNOWN';
  return NAMED[name.trim().toUpperCase().replace(/-/g, '_')] ?? 'UNKNOWN';
}

/** Kernel TCP state codes as printed (two hex digits) in /proc/net/tcp{,6} (include/net/tcp_states.h). */
const TCP_HEX: Record<string, SocketState> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
  '0C': 'SYN_RECV', // TCP_NEW_SYN_RECV: a request socket, shown by ss as SYN-RECV
};

/** State of a /proc/net row. UDP uses the same codes: 07 (TCP_CLOSE) is a bound, unconnected socket. */
export function procHexState(hex: string, protocol: 'tcp' | 'udp'): SocketState {
  if (protocol === 'udp') {
    if (hex === '07') return 'UNCONN';
    if (hex === '01') return 'ESTABLISHED';
  }
  return TCP_HEX[hex.toUpperCase()] ?? 'UNKNOWN';
}

/** Address family from the address text: anything with a ':' is IPv6 (incl. IPv4-mapped ::ffff:a.b.c.d, '*'). */
export function familyOf(address: string): Family {
  return address.includes(':') || address.trim() === '*' ? 6 : 4;
}

/**
 * Strip the brackets tools put around IPv6 addresses ("[::1]" → "::1", "[fe80::1]%eth0" →
 * "fe80::1%eth0"). ss prints a dual-stack IPv6 wildcard as '*': that is '::'.
 */
export function cleanAddress(address: string): string {
  const a = address.trim();
  if (a === '*' || a === '') return '::';
  const m = /^\[([^\]]*)\](%.+)?$/.exec(a);
  return m ? `${m[1]}${m[2] ?? ''}` : a;
}
