/**
 * `npm run bench -- --scale`: the engine and `portscope serve` at 1k, 5k, 20k and 50k sockets, so
 * growth is seen to be linear: time of a first snapshot (holders read from /proc for the first
 * time), of a poll where one socket changed (the path churn takes), of an idle poll (same kernel
 * answer), the kernel read alone, and serve's CPU per second and RSS with the All view open.
 * Per-1,000-socket columns make linear growth a flat column. Saved to bench/results/scale.txt.
 */
import net from 'node:net';
import { createEngine } from '../electron/core/engine/engine';
import { measureServeIdle } from './load/serve-probe';
import { spawnSpread } from './load/spawn-spread';
import { createReport } from './report';
import { kernelReadMs } from './serve-idle';

const SIZES = [1000, 5000, 20000, 50000];
const MiB = 1024 * 1024;

/**
 * CPU (user + system, ms) this process spends in `fn`: on a shared machine wall time measures the
 * neighbours too; the engine's reads are synchronous or thread-pool work counted here.
 */
async function timed(fn: () => Promise<unknown>): Promise<number> {
  const start = process.cpuUsage();
  await fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1] as number;
}

export async function runScale(network: string): Promise<void> {
  const report = createReport('scale');
  report.line(`network: ${network}`);
  report.line(
    'scale  sockets | first, CPU ms | changed poll, CPU ms | idle poll, CPU ms | kernel read, CPU ms | serve idle, CPU ms/s | serve RSS MiB | per 1k sockets: changed ms, RSS MiB',
  );
  const seconds = Math.min(20, Math.max(8, Number(process.env.BENCH_TICKS ?? 10)));
  for (const size of SIZES) {
    // 20% TCP listeners, 10% bound UDP, 70% both ends of established pairs.
    const load = await spawnSpread(Math.round(size * 0.2), Math.round(size * 0.1), Math.round(size * 0.35));
    try {
      if (load.note) report.line(`note (${size}): ${load.note}`);
      const engine = createEngine();
      const first = await timed(() => engine.collect('all'));
      const idle: number[] = [];
      const changed: number[] = [];
      for (let i = 0; i < 5; i++) {
        await engine.collect('all'); // settle after the last round's close
        idle.push(await timed(() => engine.collect('all')));
        // One new listener: the kernel answer differs, the whole table is walked once more.
        const s = net.createServer();
        await new Promise<void>((r) => s.listen(0, '127.0.0.1', r));
        changed.push(await timed(() => engine.collect('all')));
        await new Promise<void>((r) => s.close(() => r()));
      }
      const kernel = (await kernelReadMs('all', 5)) ?? Number.NaN;
      const serve = await measureServeIdle('all', seconds);
      const n = load.sockets;
      report.line(
        `scale ${String(n).padStart(7)} | ${first.toFixed(0).padStart(8)} | ${median(changed).toFixed(1).padStart(15)} | ${median(idle).toFixed(1).padStart(12)} | ${kernel.toFixed(1).padStart(14)} | ${serve.cpuMsPerSecond.toFixed(1).padStart(14)} | ${(serve.rss / MiB).toFixed(0).padStart(13)} | ${((median(changed) / n) * 1000).toFixed(2)}, ${((serve.rss / MiB / n) * 1000).toFixed(2)}`,
      );
    } finally {
      await load.stop();
    }
  }
  report.line(`saved ${report.save()}`);
}
