import dgram from 'node:dgram';
import { readdirSync, readlinkSync } from 'node:fs';
import net from 'node:net';

/** Test helpers: real sockets opened by the test process itself (loopback only). */
export async function openTcp(host: string): Promise<net.Server> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  return server;
}

export async function openUdp(type: 'udp4' | 'udp6', host: string): Promise<dgram.Socket> {
  const sock = dgram.createSocket(type);
  await new Promise<void>((resolve, reject) => {
    sock.once('error', reject);
    sock.bind(0, host, () => resolve());
  });
  return sock;
}

export function portOf(s: net.Server | dgram.Socket): number {
  const a = s.address();
  if (typeof a === 'string' || a === null) throw new Error('no port');
  return a.port;
}

export function closeAll(items: (net.Server | dgram.Socket)[]): Promise<void> {
  return Promise.all(items.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined);
}

/** Whether this machine can bind an IPv6 address (containers often have no ::1). */
export async function canBind(host: string): Promise<boolean> {
  try {
    const s = await openTcp(host);
    await closeAll([s]);
    return true;
  } catch {
    return false;
  }
}

/** Socket inodes a process holds, read the plain way (readlink of each /proc/<pid>/fd entry). */
export function socketsOf(pid: number): Set<number> {
  const out = new Set<number>();
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      const link = readlinkSync(`/proc/${pid}/fd/${fd}`);
      if (link.startsWith('socket:[')) out.add(Number(link.slice(8, -1)));
    } catch {
      // closed between readdir and readlink
    }
  }
  return out;
}
