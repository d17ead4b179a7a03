/**
 * `npm run bench`: how fast and how complete Portscope's engine is against the tools people use,
 * under a load of 2,000 TCP listeners, 1,000 bound UDP sockets and 1,000 established loopback
 * pairs held by a child process. Prints figures and ratios; asserts nothing about time.
 * BENCH_TICKS=5 shortens the CPU-per-tick phase (default 60 one-second ticks).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import si from 'systeminformation';
import { createEngine } from '../electron/core/engine/engine';
import { Monitor } from '../electron/core/monitor/monitor';
import { InodeOwners } from '../electron/core/processes/inode-owners';
import { defaultSources } from '../electron/core/sources/default-sources';
import { parseSiConnections, type SiConnection } from '../electron/core/sources/si/si-parse';
import { parseSs } from '../electron/core/sources/si/ss-parse';
import type { Protocol, SocketState } from '../shared/model';
import { type LoadShape, spawnLoad } from './load/spawn-load';

const run = promisify(execFile);
const ROUNDS = 10;

interface Counted {
  protocol: Protocol;
  state: SocketState;
  pid: number | null;
}

function count(rows: readonly Counted[], pid: number): LoadShape & { tcp: number; udpAll: number } {
  const mine = rows.filter((r) => r.pid === pid);
  return {
    tcp: mine.filter((r) => r.protocol === 'tcp').length,
    tcpListeners: mine.filter((r) => r.protocol === 'tcp' && r.state === 'LISTEN').length,
    established: mine.filter((r) => r.protocol === 'tcp' && r.state === 'ESTABLISHED').length,
    udp: mine.filter((r) => r.protocol === 'udp' && r.state === 'UNCONN').length,
    udpAll: mine.filter((r) => r.protocol === 'udp').length,
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

async function main(): Promise<void> {
  const load = await spawnLoad(2000, 1000, 1000);
  console.log(`load: pid ${load.pid} holds ${JSON.stringify(load.expected)}`);
  try {
    const engine = createEngine();
    const tools = {
      engine: async (): Promise<Counted[]> => (await engine.collect('all')).rows,
      si: async () => parseSiConnections((await si.networkConnections()) as SiConnection[]),
      ss: async () => parseSs((await run('ss', ['-tuanp'], { maxBuffer: 1 << 28 })).stdout),
    };
    const names = Object.keys(tools) as (keyof typeof tools)[];
    // Warm-up: fills the engine's inode and process caches, and the OS's page cache for the tools.
    const cold = await timed(tools.engine);
    for (const n of names) await tools[n]();
    const times: Record<string, number[]> = { engine: [], si: [], ss: [] };
    const seen: Record<string, Counted[]> = {};
    // Interleaved rounds, so drift in machine load hits every contender alike.
    for (let i = 0; i < ROUNDS; i++) {
      for (const n of names) {
        const { ms, value } = await timed(tools[n]);
        times[n]?.push(ms);
        seen[n] = value;
      }
    }
    const exp = load.expected;
    const result: Record<string, { ms: number; complete: boolean }> = {};
    for (const n of names) {
      const c = count(seen[n] ?? [], load.pid);
      const complete =
        c.tcpListeners >= exp.tcpListeners && c.established >= exp.established && c.udp >= exp.udp;
      const ms = median(times[n] ?? []);
      result[n] = { ms, complete };
      console.log(
        `${n.padEnd(6)} median ${ms.toFixed(1)} ms  rows(load pid): tcp=${c.tcp} (listen ${c.tcpListeners}/${exp.tcpListeners}, estab ${c.established}/${exp.established}) udp=${c.udpAll} (${c.udp}/${exp.udp})  complete=${complete}`,
      );
    }
    console.log(`engine cold (first snapshot, inode scan + process reads): ${cold.ms.toFixed(1)} ms`);
    await cpuPerTick('with the load held (3,000 listening rows)');
    await load.stop();
    await cpuPerTick('without the load (this machine as it is)');
    const e = result.engine as { ms: number; complete: boolean };
    const sMs = (result.si as { ms: number }).ms;
    const ssMs = (result.ss as { ms: number }).ms;
    console.log(
      `bench: engine=${e.ms.toFixed(1)} si=${sMs.toFixed(1)} ss=${ssMs.toFixed(1)} ratio_vs_ss=${(e.ms / ssMs).toFixed(2)} ratio_vs_si=${(e.ms / sMs).toFixed(2)} complete=${e.complete}`,
    );
  } finally {
    if (load.child.exitCode === null && load.child.signalCode === null) await load.stop();
  }
}

/** CPU time the engine costs per tick on a machine where nothing changes (scope 'listening'). */
async function cpuPerTick(label: string): Promise<void> {
  const ticks = /^\d+$/.test(process.env.BENCH_TICKS ?? '') ? Number(process.env.BENCH_TICKS) : 60;
  const sources = defaultSources();
  const proc = process.platform === 'linux' ? { owners: new InodeOwners() } : null;
  const monitor = new Monitor({
    engine: createEngine({ sources, holders: proc?.owners ?? null }),
    intervalMs: 1000,
    scope: 'listening',
  });
  let scansAtStart = 0;
  let deltas = 0;
  let changes = 0;
  let done: () => void = () => {};
  const finished = new Promise<void>((r) => {
    done = r;
  });
  let start: NodeJS.CpuUsage | null = null;
  let t0 = 0;
  monitor.subscribe((ev) => {
    // The first poll builds the table (a view's first event is its snapshot); measuring starts after it.
    if (ev.type === 'snapshot') {
      scansAtStart = proc?.owners.scans ?? 0;
      start = process.cpuUsage();
      t0 = performance.now();
      return;
    }
    if (ev.type !== 'delta') return;
    deltas++;
    changes += ev.delta.added.length + ev.delta.removed.length + ev.delta.changed.length;
    if (deltas >= ticks) done();
  });
  monitor.start();
  await finished;
  monitor.stop();
  const used = process.cpuUsage(start ?? undefined);
  const wall = performance.now() - t0;
  const perTick = (used.user + used.system) / 1000 / deltas;
  console.log(
    `idle ticks ${label}: ${deltas} in ${(wall / 1000).toFixed(1)} s, cpu ${perTick.toFixed(2)} ms/tick (user ${(used.user / 1000 / deltas).toFixed(2)}, system ${(used.system / 1000 / deltas).toFixed(2)}), rows changed across all ticks: ${changes}, rows per tick: ${monitor.current()?.rows.length}, /proc fd rescans: ${proc ? proc.owners.scans - scansAtStart : 'n/a'} (other processes opening sockets cause them)`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
