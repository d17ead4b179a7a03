import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { SYNC_MAX_SOCKETS, statesFor } from '../electron/core/sources/netlink/netlink-source';
import { addonCandidates, loadSockDiag } from '../electron/core/sources/netlink/sock-diag-addon';
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

/**
 * The same kernel read as serve's idle poll, at serve's pace, in a process of its own: a bare Node
 * child that reads the scope once a second (inline or through the pool by the size rule the source
 * uses) and reports its CPU per read over `seconds`, after three reads of warm-up. Read back to
 * back, as kernelReadMs does, the kernel's tables and the process's memory stay in the caches (a
 * Listening read at 5,000 sockets: ~0.7 ms); once a second they are cold again (~2 ms here), and
 * that, not the warm figure, is the floor serve's idle tick stands on.
 */
export function kernelPollFloorMs(scope: 'listening' | 'all', seconds = 10): number | null {
  const file = addonCandidates().find((f) => existsSync(f));
  if (!file || !loadSockDiag()) return null;
  const [tcp, udp] = statesFor(scope);
  const child = `
    const a = require(${JSON.stringify(file)});
    const [tcp, udp, info, syncMax, seconds] = ${JSON.stringify([tcp, udp, scope === 'all', SYNC_MAX_SOCKETS, seconds])};
    let buf = Buffer.alloc(1 << 20);
    let sockets = Infinity;
    const read = async () => {
      const r = a.dumpSync && sockets <= syncMax ? a.dumpSync(tcp, udp, info, false, buf) : await a.dump(tcp, udp, info, false, buf);
      if (r.records !== buf) buf = r.records;
      sockets = r.size / (a.recordWords * 4);
    };
    (async () => {
      for (let i = 0; i < 3; i++) { await read(); await new Promise((r) => setTimeout(r, 1000)); }
      const c0 = process.cpuUsage();
      for (let i = 0; i < seconds; i++) { await read(); await new Promise((r) => setTimeout(r, 1000)); }
      const c = process.cpuUsage(c0);
      process.stdout.write(String((c.user + c.system) / 1000 / seconds));
    })();`;
  const out = execFileSync(process.execPath, ['-e', child], { encoding: 'utf8' });
  const ms = Number(out);
  return Number.isFinite(ms) ? ms : null;
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
      const floor = kernelPollFloorMs(c.scope);
      const warm = await kernelReadMs(c.scope);
      const ms = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)} ms`);
      report.line(
        `serve idle, ${c.label} (${load.sockets} sockets): ${f.cpuMsPerSecond.toFixed(1)} ms CPU/s (system ${f.systemMsPerSecond.toFixed(1)}), ${f.cpuMsPerTick.toFixed(1)} ms CPU per idle tick over ${f.ticks} ticks, rows changed ${f.changes}, RSS ${(f.rss / MiB).toFixed(0)} MiB; the kernel read alone: ${ms(floor)} per poll once a second in a bare process (${ms(warm)} back to back)`,
      );
      report.line(
        `note: ${c.label}: ${f.cpuMsPerTick.toFixed(1)} ms CPU per idle tick, of which the same kernel read once a second in a bare Node process ${ms(floor)}`,
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
