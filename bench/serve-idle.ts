import { statesFor } from '../electron/core/sources/netlink/netlink-source';
import { loadSockDiag } from '../electron/core/sources/netlink/sock-diag-addon';
import { measureServeIdle } from './load/serve-probe';
import { spawnSpread } from './load/spawn-spread';
import type { Report } from './report';

const MiB = 1024 * 1024;

/**
 * CPU of the kernel read alone (the netlink dump for this scope, in this process): the floor an
 * idle poll cannot go under, set beside serve's figure so the rest of the work is visible.
 */
export async function kernelReadMs(scope: 'listening' | 'all', runs = 10): Promise<number | null> {
  const addon = loadSockDiag();
  if (!addon) return null;
  const [tcp, udp] = statesFor(scope);
  // What serve asks for: tcp_info (the traffic columns) in the All scope, nothing more in Listening.
  const info = scope === 'all';
  await addon.dump(tcp, udp, info);
  const start = process.cpuUsage();
  for (let i = 0; i < runs; i++) await addon.dump(tcp, udp, info);
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / runs;
}

const TCP_TIME_WAIT = 6;

/**
 * Wait (at most `maxSeconds`) until no TIME_WAIT socket is left in this network namespace: the
 * previous case's load closed thousands of connections, and their TIME_WAITs expiring during the
 * next case's window are real changes (full polls), not idle. Returns the seconds waited.
 */
async function quietTable(maxSeconds = 75): Promise<number> {
  const addon = loadSockDiag();
  if (!addon) return 0;
  const t0 = performance.now();
  for (;;) {
    const left = (await addon.dump(1 << TCP_TIME_WAIT, 0, false)).records.length;
    if (left === 0 || performance.now() - t0 > maxSeconds * 1000) break;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return (performance.now() - t0) / 1000;
}

/**
 * `portscope serve` idle with one view open (a WebSocket client like a page), under a held load:
 * the Listening view at 5,000 sockets (3,000 listening), the All-sockets view at 25,000 and serve's
 * RSS at 10,000. Prints the targets of issue 14 and CPU per idle tick.
 */
export async function serveIdleTargets(report: Report, seconds: number): Promise<void> {
  const cases = [
    { label: 'Listening view, 5,000 sockets', scope: 'listening', shape: [2000, 1000, 1000], cpu: 5 },
    { label: 'All-sockets view, 10,000 sockets', scope: 'all', shape: [2000, 1000, 3500], cpu: null },
    {
      label: 'All-sockets view, 25,000 sockets',
      scope: 'all',
      shape: [2000, 1000, 11000],
      cpu: 50,
      rss: 120,
    },
  ] as const;
  for (const c of cases) {
    const waited = await quietTable();
    if (waited >= 1)
      report.line(
        `note: ${c.label}: waited ${waited.toFixed(0)} s for the last case's TIME_WAIT sockets to expire`,
      );
    const load = await spawnSpread(c.shape[0], c.shape[1], c.shape[2]);
    try {
      if (load.note) report.line(`note: ${load.note}`);
      const f = await measureServeIdle(c.scope, seconds);
      const floor = await kernelReadMs(c.scope);
      report.line(
        `serve idle, ${c.label} (${load.sockets} sockets): ${f.cpuMsPerSecond.toFixed(1)} ms CPU/s (system ${f.systemMsPerSecond.toFixed(1)}), ${f.cpuMsPerTick.toFixed(1)} ms CPU per idle tick over ${f.ticks} ticks, rows changed ${f.changes}, RSS ${(f.rss / MiB).toFixed(0)} MiB; the kernel read alone: ${floor === null ? 'n/a' : `${floor.toFixed(1)} ms`} per poll`,
      );
      report.line(
        `note: ${c.label}: ${f.cpuMsPerTick.toFixed(1)} ms CPU per idle tick, of which the kernel read alone ${floor === null ? 'n/a' : floor.toFixed(1)} ms`,
      );
      if (c.cpu !== null) report.target(`serve idle CPU, ${c.label}`, f.cpuMsPerSecond, c.cpu, 'ms/s');
      if ('rss' in c) report.target(`serve RSS, ${c.label}`, f.rss / MiB, c.rss, 'MiB', 0);
      if (c.cpu === null)
        report.line(`serve RSS at ${load.sockets} sockets: ${(f.rss / MiB).toFixed(0)} MiB`);
    } finally {
      await load.stop();
    }
  }
}
