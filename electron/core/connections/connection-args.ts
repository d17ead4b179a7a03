import { addressBytes } from '../../../shared/ip-address';
import type { ConnectionRef } from '../../../shared/model';

/** The largest cookie the kernel hands out (2^64 - 2; 2^64 - 1 means "no cookie": never sent). */
const MAX_COOKIE = (1n << 64n) - 2n;

/** A connection reduced to validated numbers: what the addon and the elevated helper take. */
export interface ConnectionNumbers {
  family: 4 | 6;
  local: Buffer;
  localPort: number;
  remote: Buffer;
  remotePort: number;
  cookie: bigint;
}

function port(n: number): number {
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new Error(`invalid port: ${n}`);
  return n;
}

/**
 * Validate a connection and turn it into numbers; throws on anything else. The contract's schema
 * checked it already; this is the last gate before the kernel or an elevated program sees it.
 */
export function connectionNumbers(ref: ConnectionRef): ConnectionNumbers {
  if (ref.protocol !== 'tcp') throw new Error('only TCP connections can be closed');
  const local = addressBytes(ref.localAddress, ref.family);
  const remote = addressBytes(ref.remoteAddress, ref.family);
  if (!local || !remote) throw new Error('invalid address');
  if (!/^\d{1,20}$/.test(ref.cookie)) throw new Error('invalid cookie');
  const cookie = BigInt(ref.cookie);
  if (cookie > MAX_COOKIE) throw new Error('invalid cookie');
  return {
    family: ref.family,
    local: Buffer.from(local),
    localPort: port(ref.localPort),
    remote: Buffer.from(remote),
    remotePort: port(ref.remotePort),
    cookie,
  };
}

/**
 * The elevated helper's argument list (sock_destroy_main.c): family, hex addresses, decimal ports
 * and cookie. Nothing but digits and hex reaches the administrator prompt.
 */
export function helperArgs(n: ConnectionNumbers): string[] {
  return [
    String(n.family),
    n.local.toString('hex'),
    String(n.localPort),
    n.remote.toString('hex'),
    String(n.remotePort),
    n.cookie.toString(),
  ];
}

/** `127.0.0.1:5000 → 127.0.0.1:41234` (IPv6 in brackets), for messages and confirmations. */
export function connectionText(ref: Omit<ConnectionRef, 'cookie' | 'protocol'>): string {
  const end = (a: string, p: number) => (a.includes(':') ? `[${a}]:${p}` : `${a}:${p}`);
  return `${end(ref.localAddress, ref.localPort)} → ${end(ref.remoteAddress, ref.remotePort)}`;
}
