/**
 * Run inside a private network namespace (`unshare -n -- node --import tsx netns-child.ts`) by the
 * netlink tests: sets up lo and a second interface d0 (dummy, else one end of a veth pair) with
 * fe80::1, starts a python3 process that binds the cases /proc/net cannot describe (per-device
 * UDP binds, a v6only and a dual-stack `::` listener, a link-local bind with its zone), then prints
 * one JSON line: what the netlink source reports and what `ss -tuanpeH` prints, read back to back.
 */
import { execFileSync, spawn } from 'node:child_process';
import { NetlinkSource } from '../netlink-source';

const PY = `
import socket, sys
SO_BINDTODEVICE = getattr(socket, 'SO_BINDTODEVICE', 25)
keep = []
def udp_dev(dev, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, dev)
    s.bind(('0.0.0.0', port)); keep.append(s)
def tcp6(port, v6only):
    s = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
    s.bind(('::', port)); s.listen(8); keep.append(s)
udp_dev(b'lo', 5301)
udp_dev(b'd0', 5301)
tcp6(5302, True)
tcp6(5303, False)
ll = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
ll.bind(('fe80::1', 5304, 0, socket.if_nametoindex('d0'))); keep.append(ll)
t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
t.setsockopt(socket.SOL_SOCKET, SO_BINDTODEVICE, b'lo')
t.bind(('127.0.0.1', 5305)); t.listen(8); keep.append(t)
print('READY', flush=True)
sys.stdin.read()
`;

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'ignore' });
}

async function main(): Promise<void> {
  ip('link', 'set', 'lo', 'up');
  try {
    ip('link', 'add', 'd0', 'type', 'dummy');
  } catch {
    ip('link', 'add', 'd0', 'type', 'veth', 'peer', 'name', 'd0peer');
    ip('link', 'set', 'd0peer', 'up');
  }
  ip('link', 'set', 'd0', 'up');
  ip('addr', 'add', 'fe80::1/64', 'dev', 'd0', 'nodad');
  const py = spawn('python3', ['-c', PY], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    py.stdout.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
    py.once('exit', (code) => reject(new Error(`python3 exited ${code}`)));
  });
  const source = NetlinkSource.create();
  if (!source) throw new Error('netlink source did not load');
  const signal = new AbortController().signal;
  const all = await source.collect({ scope: 'all', signal });
  const listening = await source.collect({ scope: 'listening', signal });
  const ss = execFileSync('ss', ['-tuanpeH'], { encoding: 'utf8' });
  py.stdin.end();
  process.stdout.write(`${JSON.stringify({ pid: py.pid, all, listening, ss })}\n`);
}

main().catch((err) => {
  process.stdout.write(`${JSON.stringify({ error: String(err?.message ?? err) })}\n`);
  process.exit(1);
});
