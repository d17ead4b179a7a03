import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { CLI_BUNDLE, startServe } from '../e2e/support/serve';
import { CHROMIUM } from '../playwright.config';

/**
 * `npm run bench:ui`: the main window through the browser mode in Chromium with ≥10,000 real
 * sockets in the All-sockets view. A child process opens them (listeners and loopback connection
 * pairs, fd limit raised with prlimit when needed) and, on command, closes and opens connection
 * pairs so the engine reports deltas of about 100 changes through the real path (engine → monitor
 * → WebSocket → store). Prints figures, never asserts on time.
 */

const LISTENERS = Number(process.env.BENCH_LISTENERS ?? 2000);
const PAIRS = Number(process.env.BENCH_PAIRS ?? 4200); // 2 sockets each
const CHURN_PAIRS = 25; // 25 closed + 25 opened pairs = 100 socket changes per delta
const DELTA_SAMPLES = Number(process.env.BENCH_DELTAS ?? 15);
const INTERVAL_MS = 1000;

/** The load child: plain JS run with `node -e`; loopback only; exits when stdin closes. */
const LOAD_SCRIPT = `
const net = require('node:net');
const [listeners, pairs] = process.argv.slice(-2).map(Number);
const keep = [];
const live = [];
const listen = () => new Promise((ok, ko) => { const s = net.createServer((c) => { c.on('error', () => {}); live.push(c); }); s.once('error', ko); s.listen(0, '127.0.0.1', () => ok(s)); });
let hub;
const pair = () => new Promise((ok, ko) => { const c = net.connect(hub.address().port, '127.0.0.1', () => ok(c)); c.once('error', ko); });
(async () => {
  for (let i = 0; i < listeners; i++) keep.push(await listen());
  hub = keep[0];
  const clients = [];
  for (let i = 0; i < pairs; i++) clients.push(await pair());
  process.stdout.write('READY ' + (listeners + pairs * 2) + '\\n');
  let buf = '';
  process.stdin.on('data', async (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\\n')) >= 0) {
      const n = Number(buf.slice(0, nl)); buf = buf.slice(nl + 1);
      // Reset (not FIN) so no TIME_WAIT sockets add changes we did not ask for.
      for (let i = 0; i < n; i++) { const c = clients.shift(); c.resetAndDestroy(); }
      for (let i = 0; i < n; i++) clients.push(await pair());
      process.stdout.write('CHURNED\\n');
    }
  });
  process.stdin.on('end', () => process.exit(0));
})().catch((e) => { process.stderr.write(String(e) + '\\n'); process.exit(3); });
`;

function softNoFile(): number {
  const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
  return m?.[1] ? Number(m[1]) : 1024;
}

function spawnLoad(): Promise<{ child: ChildProcess; sockets: number; churn(): Promise<void> }> {
  const need = LISTENERS + PAIRS * 3 + 500; // client, accepted, plus slack
  let cmd = process.execPath;
  let args = ['-e', LOAD_SCRIPT, '--', String(LISTENERS), String(PAIRS)];
  if (softNoFile() < need) {
    args = [`--nofile=${need}:${need}`, '--', cmd, ...args];
    cmd = 'prlimit';
  }
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  const waiters: ((line: string) => void)[] = [];
  child.stdout?.on('data', (d: Buffer) => {
    out += d.toString();
    let nl = out.indexOf('\n');
    while (nl >= 0) {
      const line = out.slice(0, nl);
      out = out.slice(nl + 1);
      waiters.shift()?.(line);
      nl = out.indexOf('\n');
    }
  });
  const next = () => new Promise<string>((resolve) => waiters.push(resolve));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`load child exited (${code})`)));
    void next().then((line) => {
      const m = /^READY (\d+)$/.exec(line);
      if (!m) return reject(new Error(`load child said: ${line}`));
      resolve({
        child,
        sockets: Number(m[1]),
        churn: async () => {
          const done = next();
          child.stdin?.write(`${CHURN_PAIRS}\n`);
          await done;
        },
      });
    });
  });
}

/** The q-quantile (nearest rank) of xs; NaN when empty. */
const pct = (xs: number[], q: number) => {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))] as number;
};
const p95 = (xs: number[]) => pct(xs, 0.95);
const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : 'n/a');

async function main(): Promise<void> {
  if (!existsSync(CLI_BUNDLE)) throw new Error('out/cli is missing: run `npm run build` first');
  console.log(`bench:ui opening ${LISTENERS} listeners + ${PAIRS} loopback pairs…`);
  const load = await spawnLoad();
  const serve = await startServe({ args: ['--interval', String(INTERVAL_MS)] });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    // tsx compiles with keepNames, so functions sent to the page call esbuild's __name helper.
    await page.addInitScript('window.__name = (f) => f;');
    await page.addInitScript(() => {
      (window as unknown as { __PORTSCOPE_BENCH__: boolean }).__PORTSCOPE_BENCH__ = true;
      const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: 'longtask', buffered: true });
    });
    const countOf = async () =>
      Number(((await page.locator('.ps-filter-count').textContent()) ?? '').split(' ').pop());

    // Warm-up: log in, switch to All sockets (the engine's scope is shared) and wait for the load.
    await page.goto(serve.url);
    await page.getByRole('button', { name: 'All sockets' }).click();
    await page.waitForFunction(
      (n) => Number(document.querySelector('.ps-filter-count')?.textContent ?? 0) >= n,
      load.sockets,
      { timeout: 60_000 },
    );

    console.log('bench:ui load visible in the page; measuring…');
    // First render: a fresh page load (the view is remembered) until a frame shows every socket.
    await page.reload();
    const firstRender = await page.evaluate(
      (n) =>
        new Promise<number>((resolve) => {
          const check = () => {
            const c = Number(document.querySelector('.ps-filter-count')?.textContent ?? 0);
            if (c >= n && document.querySelectorAll('[role="row"]').length > 10) resolve(performance.now());
            else requestAnimationFrame(check);
          };
          check();
        }),
      load.sockets,
    );
    const rows = await countOf();
    console.log(`bench:ui ${rows} sockets in the All-sockets view (load opened ${load.sockets})`);

    console.log(`bench:ui first render measured; typing…`);
    // Keystroke → next painted frame, measured in the page from the input event.
    // Also keystroke → the frame that shows the rows for that text (the grid's data-filter says which
    // text its rows are for): the input may paint first, the user is waiting for the rows.
    await page.evaluate(() => {
      const w = window as unknown as { __keys: number[]; __results: number[] };
      w.__keys = [];
      w.__results = [];
      const input = document.querySelector<HTMLInputElement>('input[aria-label="Filter"]');
      input?.addEventListener('input', (e) => {
        const t0 = e.timeStamp;
        const text = input.value;
        requestAnimationFrame(() => setTimeout(() => w.__keys.push(performance.now() - t0), 0));
        const shown = () => document.querySelector<HTMLElement>('[role="grid"]')?.dataset.filter === text;
        const poll = () => {
          if (input.value !== text) return; // Superseded by the next keystroke.
          if (shown()) setTimeout(() => w.__results.push(performance.now() - t0), 0);
          else requestAnimationFrame(poll);
        };
        requestAnimationFrame(poll);
      });
    });
    const now = () => page.evaluate(() => performance.now());
    const typingFrom = await now();
    const filter = page.getByRole('searchbox', { name: 'Filter' });
    await filter.click();
    for (const text of ['127.0.0.1:4', 'state:estab', 'proc:node -port:1-30000', 'zzz', `:${40000}`]) {
      for (const ch of text) {
        await page.keyboard.type(ch);
        await page.waitForTimeout(30);
      }
      for (let i = 0; i < text.length; i++) {
        await page.keyboard.press('Backspace');
        await page.waitForTimeout(30);
      }
    }
    await page.waitForTimeout(200);
    const keys = await page.evaluate(() => (window as unknown as { __keys: number[] }).__keys);
    const results = await page.evaluate(() => (window as unknown as { __results: number[] }).__results);

    console.log(`bench:ui ${keys.length} keystrokes measured; churning connections…`);
    // Deltas of ~100 changes through the real path: churn connections, wait for the engine's delta.
    const deltasFrom = await now();
    await page.evaluate(() => performance.clearMeasures());
    for (let i = 0; i < DELTA_SAMPLES; i++) {
      await load.churn();
      await page.waitForTimeout(INTERVAL_MS * 1.2);
    }
    await page.waitForTimeout(INTERVAL_MS);
    const deltas = await page.evaluate(() =>
      ['ps:delta-apply', 'ps:delta-paint'].map((name) =>
        performance.getEntriesByName(name).map((e) => ({
          d: e.duration,
          n: ((e as PerformanceMeasure).detail as { changes: number }).changes,
        })),
      ),
    );
    const [apply = [], paint = []] = deltas;
    // Our churn makes 100 changes; other processes on the machine may add a few. Bigger deltas
    // (a scope switch, a test suite ending elsewhere) are not what this figure is about.
    const ours = (x: { n: number }) => x.n >= 90 && x.n <= 250;
    const big = (xs: { d: number; n: number }[]) => xs.filter(ours).map((x) => x.d);
    const changes = apply.filter(ours).map((x) => x.n);

    const longTasks = (
      await page.evaluate(
        () => (window as unknown as { __longTasks: { start: number; duration: number }[] }).__longTasks,
      )
    ).filter((t) => t.start > firstRender);

    console.log(`bench:ui first render (navigation → ${rows} rows painted): ${ms(firstRender)} ms`);
    console.log(
      `bench:ui keystroke → next frame: p95 ${ms(p95(keys))} ms, median ${ms(pct(keys, 0.5))} ms over ${keys.length} keystrokes (target ≤ 16)`,
    );
    console.log(
      `bench:ui keystroke → its rows painted: p95 ${ms(p95(results))} ms, median ${ms(pct(results, 0.5))} ms over ${results.length} keystrokes`,
    );
    console.log(
      `bench:ui delta apply (store): p95 ${ms(p95(big(apply)))} ms over ${big(apply).length} deltas of ${Math.min(...changes)}-${Math.max(...changes)} changes (target ≤ 8)`,
    );
    console.log(`bench:ui delta → next frame: p95 ${ms(p95(big(paint)))} ms`);
    const during = (a: number, b: number) => longTasks.filter((t) => t.start >= a && t.start < b).length;
    console.log(
      `bench:ui long tasks by phase: settling ${during(firstRender, typingFrom)}, typing ${during(typingFrom, deltasFrom)}, deltas ${during(deltasFrom, Number.POSITIVE_INFINITY)}`,
    );
    console.log(
      `bench:ui long tasks > 50 ms after first render: ${longTasks.length}${longTasks.length ? ` (longest ${ms(Math.max(...longTasks.map((t) => t.duration)))} ms)` : ''} (target none)`,
    );
    console.log(
      `bench:ui first_render=${ms(firstRender)} keystroke_p95=${ms(p95(keys))} delta_p95=${ms(p95(big(apply)))} long_tasks=${longTasks.length} results_p95=${ms(p95(results))}`,
    );
  } finally {
    await browser.close();
    await serve.stop();
    load.child.stdin?.end();
    load.child.kill('SIGKILL');
  }
}

main().catch((e) => {
  console.error(`bench:ui failed: ${(e as Error).message}`);
  process.exit(1);
});
