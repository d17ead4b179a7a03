import { parseStrictInt } from '../../../../shared/numbers';
import { cleanAddress, familyOf, normalizeState } from '../net-names';
import type { RawSocket } from '../types';

/**
 * Split "addr:port" as ss prints it: 0.0.0.0:53, [::1]:8080, *:68, [fe80::1%eth0]:546,
 * fe80::1%eth0:546 (older ss), 127.0.0.53%lo:53. The port is whatever follows the last ':'.
 */
export function splitHostPort(text: string): { address: string; port: number | null } | null {
  const i = text.lastIndexOf(':');
  if (i < 0) return null;
  const host = text.slice(0, i);
  const portText = text.slice(i + 1);
  const port = portText === '*' ? null : parseStrictInt(portText, 0, 65535);
  if (portText !== '*' && port === null) return null;
  return { address: host, port };
}

/**
 * The owner from ss's process column: users:(("my app",pid=123,fd=4),("x",pid=9,fd=3)).
 * Names may hold spaces, commas and quotes, so the pid is taken from the last `,pid=N,` of the
 * first entry rather than by splitting on commas.
 */
export function parseSsUsers(text: string): { pid: number; name: string } | null {
  const start = text.indexOf('(("');
  if (start < 0) return null;
  const m = /^\(\("(.*?)",pid=(\d+),fd=\d+\)/.exec(text.slice(start));
  if (!m) return null;
  const pid = parseStrictInt(m[2], 1, 4_294_967_295);
  return pid === null ? null : { pid, name: m[1] ?? '' };
}

/**
 * Parse `ss -tuanp` / `ss -uanp` output (with or without the Netid column, header optional).
 * Columns: [Netid] State Recv-Q Send-Q Local Peer [Process].
 */
export function parseSs(text: string, defaultProtocol?: 'tcp' | 'udp'): RawSocket[] {
  const rows: RawSocket[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim() || /^(Netid|State)\s/.test(line)) continue;
    // The process column may contain spaces; the first five or six fields never do.
    const fields = line.trim().split(/\s+/);
    let protocol: 'tcp' | 'udp' | undefined = defaultProtocol;
    if (fields[0] === 'tcp' || fields[0] === 'udp') protocol = fields.shift() as 'tcp' | 'udp';
    if (!protocol || fields.length < 4) continue;
    const [stateText, , , localText, peerText] = fields;
    const local = splitHostPort(localText ?? '');
    const peer = splitHostPort(peerText ?? '');
    if (!local || !peer || local.port === null) continue;
    const localAddress = cleanAddress(local.address);
    const family = familyOf(localAddress);
    // A v4 socket's peer wildcard is 0.0.0.0:*, a v6 one's [::]:* or *:*: either way, not connected.
    const peerAddr = cleanAddress(peer.address);
    const connected = peer.port !== null && peer.port !== 0;
    const owner = parseSsUsers(line);
    const row: RawSocket = {
      protocol,
      family,
      localAddress,
      localPort: local.port,
      remoteAddress: connected ? peerAddr : null,
      remotePort: connected ? peer.port : null,
      state: normalizeState(stateText),
      pid: owner?.pid ?? null,
    };
    if (owner) row.processName = owner.name;
    rows.push(row);
  }
  return rows;
}
