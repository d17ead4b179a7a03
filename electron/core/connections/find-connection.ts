import { addressBytes } from '../../../shared/ip-address';
import type { ConnectionRef } from '../../../shared/model';
import type { SockDiagAddon } from '../sources/netlink/sock-diag-addon';
import { decodeDump, type NetlinkSocket } from '../sources/netlink/sock-diag-decode';

const TCP_LISTEN = 10;
/** Every TCP state but LISTEN: a listener has no remote end and is never "a connection". */
const CONNECTED = 0xffffffff & ~(1 << TCP_LISTEN);
const NONE = 0;

/** What the kernel's table says about a connection the user saw. */
export type Presence =
  | { kind: 'present'; socket: NetlinkSocket }
  /** The 4-tuple is held by a different socket (a new connection): never touched. */
  | { kind: 'changed'; socket: NetlinkSocket }
  | { kind: 'gone' };

function sameBytes(text: string, family: 4 | 6, want: Uint8Array | null): boolean {
  const got = addressBytes(text, family);
  return got !== null && want !== null && got.length === want.length && got.every((b, i) => b === want[i]);
}

/** Same local and remote ends, addresses compared as bytes (`::1` and `0::1` are one address). */
function sameEnds(s: NetlinkSocket, ref: ConnectionRef, local: Uint8Array | null, remote: Uint8Array | null) {
  return (
    s.protocol === 'tcp' &&
    s.family === ref.family &&
    s.localPort === ref.localPort &&
    s.remotePort === ref.remotePort &&
    s.remoteAddress !== null &&
    sameBytes(s.localAddress, s.family, local) &&
    sameBytes(s.remoteAddress, s.family, remote)
  );
}

/**
 * Re-read the kernel's TCP table now and look the connection up by 4-tuple and cookie. Without a
 * cookie (`''`: the CLI, which names only the ends) the one socket on the 4-tuple is `present`.
 */
export async function findConnection(addon: SockDiagAddon, ref: ConnectionRef): Promise<Presence> {
  const dump = await addon.dump(CONNECTED, NONE, false);
  const local = addressBytes(ref.localAddress, ref.family);
  const remote = addressBytes(ref.remoteAddress, ref.family);
  let other: NetlinkSocket | null = null;
  for (const s of decodeDump(dump)) {
    if (!sameEnds(s, ref, local, remote)) continue;
    if (ref.cookie === '' || s.cookie === ref.cookie) return { kind: 'present', socket: s };
    other = s;
  }
  return other ? { kind: 'changed', socket: other } : { kind: 'gone' };
}
