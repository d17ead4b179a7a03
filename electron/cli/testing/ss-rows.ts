/** Test helper: `ss -tuanpeH` lines as comparable sockets (the oracle the CLI is checked against). */

export interface SsSocket {
  protocol: 'tcp' | 'udp';
  state: string;
  localAddress: string;
  localPort: number;
  remoteAddress: string | null;
  remotePort: number | null;
  device: string | null;
  v6only: boolean | null;
  inode: number;
  pids: number[];
}

/** ss's state names → the model's (ESTAB → ESTABLISHED, TIME-WAIT → TIME_WAIT). */
const state = (s: string) => (s === 'ESTAB' ? 'ESTABLISHED' : s.replace(/-/g, '_'));

/** "[::]:80", "*:80", "0.0.0.0%lo:53", "127.0.0.1:8000" → address (ss's `*` is `::`), device, port. */
function endpoint(text: string): { address: string | null; port: number | null; device: string | null } {
  const colon = text.lastIndexOf(':');
  let address = text.slice(0, colon);
  const port = text.slice(colon + 1);
  let device: string | null = null;
  const pct = address.lastIndexOf('%');
  if (pct >= 0 && !address.endsWith(']')) {
    device = address.slice(pct + 1);
    address = address.slice(0, pct);
  }
  address = address.replace(/^\[|\]$/g, '');
  if (address === '*') address = '::';
  if (port === '*') return { address: null, port: null, device };
  return { address, port: Number(port), device };
}

/** Parse `ss -tuanpeH` output. */
export function parseSs(text: string): SsSocket[] {
  const out: SsSocket[] = [];
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/);
    if (f.length < 6 || (f[0] !== 'tcp' && f[0] !== 'udp')) continue;
    const local = endpoint(f[4] as string);
    const peer = endpoint(f[5] as string);
    const v6 = /\bv6only:(\d)/.exec(line)?.[1];
    out.push({
      protocol: f[0],
      state: state(f[1] as string),
      localAddress: local.address ?? '',
      localPort: local.port ?? 0,
      remoteAddress: peer.address,
      remotePort: peer.port,
      device: local.device,
      v6only: v6 === undefined ? null : v6 === '1',
      inode: Number(/\bino:(\d+)/.exec(line)?.[1] ?? 0),
      pids: [...line.matchAll(/pid=(\d+)/g)].map((m) => Number(m[1])).sort((a, b) => a - b),
    });
  }
  return out;
}

/** Identity to match on: the inode; for inode-0 sockets (TIME_WAIT …) the tuple and state. */
export function socketId(s: {
  protocol: string;
  inode: number | null;
  state: string;
  localAddress: string;
  localPort: number;
  remoteAddress: string | null;
  remotePort: number | null;
}): string {
  if (s.inode) return `${s.protocol}:i${s.inode}`;
  return `${s.protocol}|${s.localAddress}|${s.localPort}|${s.remoteAddress}|${s.remotePort}|${s.state}`;
}
