/**
 * What loading prom-client costs a process, so the decision to import it lazily rests on a figure:
 * a bare `node` start, the same plus require('prom-client'), and zod (which every front door loads)
 * as a reference of the same run. Then the cost of one scrape of the real exporter on this machine.
 * Prints medians and ratios, never asserts on time.   Run: node --import tsx bench/metrics-load-bench.ts
 */
import { execFileSync } from 'node:child_process';
import { loadMetrics } from '../electron/core/metrics';
import { createPortscope } from '../electron/core/portscope';
import { nextPolls } from '../electron/core/testing/polls';

const RUNS = Number(process.env.RUNS ?? 15);

function timeNode(script: string): number {
  const start = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', script], { stdio: 'ignore' });
  return Number(process.hrtime.bigint() - start) / 1e6;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

const cases: Record<string, string> = {
  'node (bare)': '',
  "require('zod')": "require('zod')",
  "require('prom-client')": "require('prom-client')",
};
const times: Record<string, number[]> = {};
for (let i = 0; i < RUNS; i++) {
  // Interleaved, so a busy moment of the machine hits every case alike.
  for (const [name, script] of Object.entries(cases)) {
    times[name] ??= [];
    times[name].push(timeNode(script));
  }
}
const bare = median(times['node (bare)'] as number[]);
console.log(`process start, median of ${RUNS} (ms; extra = above bare node):`);
for (const [name, xs] of Object.entries(times)) {
  const m = median(xs);
  console.log(
    `  ${name.padEnd(24)} ${m.toFixed(1).padStart(7)}   extra ${(m - bare).toFixed(1).padStart(6)}`,
  );
}
// The require alone, timed inside the child (no process start around it).
const inner: Record<string, number[]> = { zod: [], 'prom-client': [] };
for (let i = 0; i < RUNS; i++) {
  for (const mod of Object.keys(inner)) {
    const script = `const t = process.hrtime.bigint(); require('${mod}'); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6))`;
    inner[mod]?.push(Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' })));
  }
}
const [zodMs, promMs] = [median(inner.zod as number[]), median(inner['prom-client'] as number[])];
console.log(
  `require() alone, median: zod ${zodMs.toFixed(1)} ms, prom-client ${promMs.toFixed(1)} ms (${(promMs / zodMs).toFixed(2)}x zod)`,
);
const extra = (n: string) => median(times[n] as number[]) - bare;
console.log(
  `  prom-client extra / zod extra: ${(extra("require('prom-client')") / extra("require('zod')")).toFixed(2)}x`,
);

async function scrapeCost(): Promise<void> {
  const metrics = await loadMetrics({ scope: 'all' });
  const portscope = await createPortscope({
    protectedPids: () => [process.pid],
    plugins: [metrics.plugin],
    intervalMs: 250,
  });
  portscope.start();
  await nextPolls(portscope.monitor, 2);
  const scrapes: number[] = [];
  let size = 0;
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    size = (await metrics.render()).body.length;
    scrapes.push(performance.now() - start);
  }
  const rows = portscope.monitor.current()?.rows.length ?? 0;
  portscope.stop();
  console.log(`scrape (all sockets: ${rows} rows, ${size} bytes): median ${median(scrapes).toFixed(2)} ms`);
}

void scrapeCost();
