import { isLoopbackAddress } from './socket-rules';

/**
 * What kind of address a remote end is, when that alone says everything a name would: loopback,
 * a private network (RFC 1918, unique-local fc00::/7, the shared 100.64.0.0/10 that CGNAT and
 * Tailscale use) or link-local (169.254/16, fe80::/10). These are labelled without a DNS query:
 * their reverse zones are local at best, and asking leaks the addresses to the resolver.
 */
export type AddressKind = 'loopback' | 'private network' | 'link-local';

function ipv4(a: string): number[] | null {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(a);
  if (!m) return null;
  const parts = m.slice(1).map(Number);
  return parts.every((n) => n <= 255) ? parts : null;
}

/** The kind of an address, or null for a public (or unparseable, or wildcard) one. */
export function addressKind(address: string): AddressKind | null {
  if (isLoopbackAddress(address)) return 'loopback';
  const a = address
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/%.*$/, '');
  const v4 = ipv4(a.startsWith('::ffff:') ? a.slice(7) : a);
  if (v4) {
    const [x = 0, y = 0] = v4;
    if (x === 10 || (x === 172 && y >= 16 && y <= 31) || (x === 192 && y === 168)) return 'private network';
    if (x === 100 && y >= 64 && y <= 127) return 'private network';
    if (x === 169 && y === 254) return 'link-local';
    return null;
  }
  if (!a.includes(':')) return null;
  const head = Number.parseInt(a.split(':')[0] || '0', 16);
  if (a.startsWith(':')) return null;
  if (head >= 0xfc00 && head <= 0xfdff) return 'private network';
  if (head >= 0xfe80 && head <= 0xfebf) return 'link-local';
  return null;
}

/** Addresses that are no peer at all (an unconnected socket's `*`, a wildcard): never named. */
export function isWildcardAddress(address: string): boolean {
  return address === '*' || address === '0.0.0.0' || address === '::' || address === '[::]';
}
