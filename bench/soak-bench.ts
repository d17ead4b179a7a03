/**
 * `npm run bench -- --soak <seconds>` (default 600): `portscope serve` with the All view open over
 * a held load of 10,000 sockets while connections churn (a few hundred opened and closed per
 * second, leaving TIME_WAITs that come and go). Prints RSS over time and a growth verdict: the
 * RSS floor of the last third against that of the first third after a 75 s warm-up.
 * Saved to bench/results/soak.txt.
 */
import net from 'node:net';
import { startServe } from '../e2e/support/serve';
import { openView, sampleProc } from './load/serve-probe';
import { spawnSpread } from './load/spawn-spread';
import { createReport } from './report';

const MiB = 1024 * 1024;

/** Open `perTick` connections every 100 ms and close the oldest, keeping about `keep` open. */
async function churn(perTick: number, keep: number): Promise<{ opened: () => number; stop: () => void }> {
  const server = net.createServer((s) => s.on('error', () => {}));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  const live: net.Socket[] = [];
  let opened = 0;
  const timer = setInterval(() => {
    for (let i = 0; i < perTick; i++) {
      const c = net.connect(port, '127.0.0.1');
      c.on('error', () => {});
      live.push(c);
      opened++;
    }
    while (live.length > keep) live.shift()?.destroy();
  }, 100);
  return {
    opened: () => opened,
    stop: () => {
      clearInterval(timer);
      for (const c of live) c.destroy();
      server.close();
    },
  };
}

export async function runSoak(seconds: number, network: string): Promise<void> {
  const report = createReport('soak');
  report.line(`network: ${network}`);
  const load = await spawnSpread(2000, 1000, 3500);
  if (load.note) report.line(`note: ${load.note}`);
  const serve = await startServe({ args: ['--interval', '1000'] });
  const view = await openView(serve, 'all');
  const flow = await churn(20, 400);
  try {
    const step = Math.max(5, Math.round(seconds / 40));
    const samples: { t: number; rss: number }[] = [];
    const t0 = Date.now();
    report.line(
      `soak ${seconds} s over ${load.sockets} sockets, churn 200 connections/s, RSS every ${step} s:`,
    );
    while (Date.now() - t0 < seconds * 1000) {
      await new Promise((r) => setTimeout(r, step * 1000));
      const { rss } = sampleProc(serve.pid);
      const t = Math.round((Date.now() - t0) / 1000);
      samples.push({ t, rss });
      report.line(
        `soak t=${String(t).padStart(4)} s  RSS ${(rss / MiB).toFixed(1)} MiB  deltas ${view.deltas}  rows changed ${view.changes}`,
      );
    }
    // Warm-up: the TIME_WAITs the churn leaves live 60 s, so the table grows for the first minute
    // (and the heap with it); after 75 s (or the first sixth) it is steady. RSS is a GC sawtooth:
    // the floor of each third (lowest sample) says what stays, the peaks only when GC ran.
    const warmFrom = Math.max(75, Math.round(seconds / 6));
    const warm = samples.filter((s) => s.t >= warmFrom);
    const third = Math.max(1, Math.floor(warm.length / 3));
    const early = Math.min(...warm.slice(0, third).map((s) => s.rss));
    const late = Math.min(...warm.slice(-third).map((s) => s.rss));
    if (warm.length < 3)
      report.line(`soak: under ${warmFrom + 3 * step} s there is too little after the warm-up to judge`);
    const growth = ((late - early) / early) * 100;
    report.line(
      `soak verdict: RSS ${(early / MiB).toFixed(0)} → ${(late / MiB).toFixed(0)} MiB (${growth >= 0 ? '+' : ''}${growth.toFixed(1)}%), ${flow.opened()} connections opened; ${growth <= 10 ? 'no growth' : 'GROWS'}`,
    );
    report.target(
      `serve RSS growth over a ${seconds} s churn soak, 10,000 sockets`,
      Math.max(0, growth),
      10,
      '%',
    );
  } finally {
    flow.stop();
    view.close();
    await serve.stop();
    await load.stop();
  }
  report.line(`saved ${report.save()}`);
}
