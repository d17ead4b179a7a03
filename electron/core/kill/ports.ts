import { readFile } from 'node:fs/promises';
import type { PortRef, Protocol } from '../../../shared/model';
import { isListening } from '../../../shared/socket-rules';
import { loadSi } from '../lazy/systeminformation';

export type { PortRef } from '../../../shared/model';

const TCP_LISTEN = '0A';

/**
 * Local ports held in one /proc/net/{tcp,udp}[6] table, by the shared "is listening" rule: TCP
 * listeners, or UDP sockets with no peer.
 */
export function heldPortsFromProcNet(text: string, protocol: Protocol): Set<number> {
  const held = new Set<number>();
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const local = f[1];
    const remote = f[2];
    const state = f[3];
    if (!local || !remote || !state) continue;
    const port = Number.parseInt(local.slice(local.lastIndexOf(':') + 1), 16);
    const remotePort = Number.parseInt(remote.slice(remote.lastIndexOf(':') + 1), 16);
    const row = {
      protocol,
      state: protocol === 'tcp' && state === TCP_LISTEN ? ('LISTEN' as const) : ('UNKNOWN' as const),
      remoteAddress: remotePort === 0 ? null : remote,
    };
    if (isListening(row)) held.add(port);
  }
  return held;
}

async function linuxHeld(protocol: Protocol): Promise<Set<number>> {
  const tables = await Promise.all(
    [`/proc/net/${protocol}`, `/proc/net/${protocol}6`].map((f) => readFile(f, 'utf8').catch(() => '')),
  );
  return new Set(tables.flatMap((t) => [...heldPortsFromProcNet(t, protocol)]));
}

/**
 * Which of `ports` someone still holds (listening TCP / bound UDP), after the owner exited.
 * Linux reads /proc/net (cheap, no child process); elsewhere systeminformation's connection list.
 */
export async function portsStillHeld(
  ports: readonly PortRef[],
  platform: NodeJS.Platform,
): Promise<PortRef[]> {
  if (ports.length === 0) return [];
  if (platform === 'linux') {
    const tcp = await linuxHeld('tcp');
    const udp = await linuxHeld('udp');
    return ports.filter((p) => (p.protocol === 'tcp' ? tcp : udp).has(p.port));
  }
  const conns = await (await loadSi()).networkConnections();
  return ports.filter((p) =>
    conns.some(
      (c) =>
        Number(c.localPort) === p.port &&
        c.protocol.toLowerCase().startsWith(p.protocol) &&
        isListening({
          protocol: p.protocol,
          state: c.state.toUpperCase() === 'LISTEN' ? 'LISTEN' : 'UNKNOWN',
          remoteAddress: c.peerAddress && c.peerAddress !== '*' && Number(c.peerPort) ? c.peerAddress : null,
        }),
    ),
  );
}
