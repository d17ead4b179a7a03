import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CLI_BUNDLE, startServe } from '../e2e/support/serve';
import { CHROMIUM } from '../playwright.config';
import { createReport } from './report';

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
const INTERVAL_MS = Number(process.env.BENCH_INTERVAL ?? 1000);

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
  // Reset every connection on the way out: a FIN would leave thousands of TIME_WAIT sockets that
  // the next run would see for a minute.
  process.stdin.on('end', () => { for (const c of [...clients, ...live]) c.resetAndDestroy(); setTimeout(() => process.exit(0), 50); });
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

/** What the bench types into the filter (each text typed, then erased with Backspace), twice over. */
const TYPED = ['127.0.0.1:4', 'state:estab', 'proc:node -port:1-30000', 'zzz', ':40000'];
const TYPING_ROUNDS = Number(process.env.BENCH_TYPING_ROUNDS ?? 2);

const now = (page: Page) => page.evaluate(() => performance.now());

/**
 * Type TYPED into the page's filter box and measure, in the page, from each input event to after the
 * next frame's main-thread work (`keys`), and to after the frame that shows the rows for that text
 * (`results`: the grid's data-filter says which text its rows are for; a bare page has none).
 */
async function measureTyping(page: Page): Promise<{ keys: number[]; results: number[] }> {
  await page.evaluate(() => {
    const w = window as unknown as { __keys: number[]; __results: number[] };
    w.__keys = [];
    w.__results = [];
    const input = document.querySelector<HTMLInputElement>('input[aria-label="Filter"]');
    input?.addEventListener('input', (e) => {
      const t0 = e.timeStamp;
      const text = input.value;
      requestAnimationFrame(() => setTimeout(() => w.__keys.push(performance.now() - t0), 0));
      const grid = document.querySelector<HTMLElement>('[role="grid"]');
      if (!grid) return;
      const poll = () => {
        if (input.value !== text) return; // Superseded by the next keystroke.
        if (grid.dataset.filter === text) setTimeout(() => w.__results.push(performance.now() - t0), 0);
        else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    });
  });
  await page.getByRole('searchbox', { name: 'Filter' }).click();
  for (const text of Array.from({ length: TYPING_ROUNDS }, () => TYPED).flat()) {
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
  return page.evaluate(() => {
    const w = window as unknown as { __keys: number[]; __results: number[] };
    return { keys: w.__keys, results: w.__results };
  });
}

/**
 * The reference: the same keystrokes into a page that is nothing but a search box, in the same
 * browser and the same run. Its figure is what the browser, the machine and the display's refresh
 * cost before any app does anything; the difference is Portscope's.
 */
async function referenceTyping(browser: Browser): Promise<number[]> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  await page.setContent('<input type="search" aria-label="Filter">');
  const { keys } = await measureTyping(page);
  await page.close();
  return keys;
}

/**
 * Chromium with frames unthrottled (no vsync, no frame-rate limit): a frame starts as soon as there
 * is something to show, so keystroke → painted frame is the app's work rather than the wait for the
 * display's next refresh (0-16.7 ms at 60 Hz, whatever the app does).
 */
const UNTHROTTLED = ['--disable-gpu-vsync', '--disable-frame-rate-limit'];

/**
 * Wait until the page counts at least `n` sockets, polled from here: page.waitForFunction compiles
 * its predicate with eval inside the page, which the app's CSP (no 'unsafe-eval') refuses.
 */
async function untilCount(page: Page, n: number, timeoutMs = 60_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const text = await page
      .locator('.ps-filter-count')
      .textContent()
      .catch(() => null);
    if (Number(text ?? 0) >= n) return;
    if (Date.now() > end) throw new Error(`the page never counted ${n} sockets (last: ${text})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function openApp(browser: Browser, url: string, sockets: number): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  // tsx compiles with keepNames, so functions sent to the page call esbuild's __name helper.
  await page.addInitScript('window.__name = (f) => f;');
  await page.goto(url);
  await page.getByRole('button', { name: 'All sockets' }).click();
  await untilCount(page, sockets);
  return page;
}

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

    // Warm-up: log in, switch to All sockets (this tab's own scope) and wait for the load.
    await page.goto(serve.url);
    await page.getByRole('button', { name: 'All sockets' }).click();
    await untilCount(page, load.sockets);

    console.log('bench:ui load visible in the page; measuring…');
    // First render: a fresh page load (the view is remembered) until a frame shows every socket.
    // BENCH_FIRST_PROFILE=file.cpuprofile records a JavaScript CPU profile of the reload to first render.
    const firstCdp = process.env.BENCH_FIRST_PROFILE ? await page.context().newCDPSession(page) : null;
    if (firstCdp) {
      await firstCdp.send('Profiler.enable');
      await firstCdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await firstCdp.send('Profiler.start');
    }
    // Several reloads: one first render is one sample on a noisy machine; the target takes the median.
    const RELOADS = firstCdp ? 1 : Number(process.env.BENCH_RELOADS ?? 5);
    const renders: number[] = [];
    let firstRender = Number.NaN;
    for (let k = 0; k < RELOADS; k++) {
      await page.reload();
      firstRender = await measureFirstRender();
      renders.push(firstRender);
    }
    const firstRenderMedian = [...renders].sort((a, b) => a - b)[Math.floor(renders.length / 2)] as number;
    console.log(
      `bench:ui first render over ${renders.length} reloads: ${renders.map((r) => ms(r)).join(', ')} ms (median ${ms(firstRenderMedian)})`,
    );
    async function measureFirstRender(): Promise<number> {
      return page.evaluate(
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
    }
    if (firstCdp && process.env.BENCH_FIRST_PROFILE) {
      const { profile } = await firstCdp.send('Profiler.stop');
      writeFileSync(process.env.BENCH_FIRST_PROFILE, JSON.stringify(profile));
      console.log(`bench:ui CPU profile of the first render written to ${process.env.BENCH_FIRST_PROFILE}`);
    }
    // Where the first render's time went, on the last reload (marks from renderer/src/store/connect.ts).
    const marks = await page.evaluate(() =>
      [
        'ps:snapshot-asked',
        'ps:snapshot-received',
        'ps:snapshot-applied',
        'ps:snapshot-arrived',
        'ps:snapshot-parsed',
        'ps:snapshot-decoded',
      ].map((n) => performance.getEntriesByName(n)[0]?.startTime ?? Number.NaN),
    );
    const [
      asked = Number.NaN,
      received = Number.NaN,
      applied = Number.NaN,
      arrived = Number.NaN,
      parsed = Number.NaN,
      decoded = Number.NaN,
    ] = marks;
    const nav = await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
      return n ? n.domContentLoadedEventEnd : Number.NaN;
    });
    // Finer: the snapshot's message reached the page's script, was parsed (JSON) and decoded (wire.ts).
    console.log(
      `bench:ui snapshot in the page: arrived ${ms(arrived)} ms (+${ms(arrived - asked)} after asked), JSON parsed +${ms(parsed - arrived)}, decoded +${ms(decoded - parsed)}`,
    );
    console.log(
      `bench:ui first render split: page loaded ${ms(nav)} ms, snapshot asked ${ms(asked)} ms, received ${ms(received)} ms (+${ms(received - asked)}), applied ${ms(applied)} ms (+${ms(applied - received)}), painted ${ms(firstRender)} ms (+${ms(firstRender - applied)})`,
    );
    const rows = await countOf();
    console.log(`bench:ui ${rows} sockets in the All-sockets view (load opened ${load.sockets})`);

    console.log(`bench:ui first render measured; typing…`);
    const typingFrom = await now(page);
    // BENCH_TRACE=file.json records a Chromium trace of the typing phase (open it in DevTools' Performance panel).
    if (process.env.BENCH_TRACE) await browser.startTracing(page, { screenshots: false });
    // BENCH_PROFILE=file.cpuprofile records a JavaScript CPU profile of the typing phase.
    const cdp = process.env.BENCH_PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    const typed = await measureTyping(page);
    if (cdp && process.env.BENCH_PROFILE) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(process.env.BENCH_PROFILE, JSON.stringify(profile));
      console.log(`bench:ui CPU profile of the typing phase written to ${process.env.BENCH_PROFILE}`);
    }
    if (process.env.BENCH_TRACE) {
      writeFileSync(process.env.BENCH_TRACE, await browser.stopTracing());
      console.log(`bench:ui trace of the typing phase written to ${process.env.BENCH_TRACE}`);
    }
    const { keys, results } = typed;
    const refKeys = await referenceTyping(browser);

    console.log(`bench:ui ${keys.length} keystrokes measured; churning connections…`);
    // Deltas of ~100 changes through the real path: churn connections, wait for the engine's delta.
    const deltasFrom = await now(page);
    await page.evaluate(() => performance.clearMeasures());
    // BENCH_DELTA_PROFILE=file.cpuprofile records a JavaScript CPU profile of the delta phase.
    const deltaCdp = process.env.BENCH_DELTA_PROFILE ? await page.context().newCDPSession(page) : null;
    if (deltaCdp) {
      await deltaCdp.send('Profiler.enable');
      await deltaCdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await deltaCdp.send('Profiler.start');
    }
    for (let i = 0; i < DELTA_SAMPLES; i++) {
      await load.churn();
      await page.waitForTimeout(INTERVAL_MS * 1.2);
    }
    await page.waitForTimeout(INTERVAL_MS);
    if (deltaCdp && process.env.BENCH_DELTA_PROFILE) {
      const { profile } = await deltaCdp.send('Profiler.stop');
      writeFileSync(process.env.BENCH_DELTA_PROFILE, JSON.stringify(profile));
      console.log(`bench:ui CPU profile of the delta phase written to ${process.env.BENCH_DELTA_PROFILE}`);
    }
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

    console.log('bench:ui typing again with frames unthrottled…');
    const fast = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--disable-gpu', ...UNTHROTTLED],
    });
    let unthrottled: { keys: number[]; results: number[] };
    let refFast: number[];
    try {
      unthrottled = await measureTyping(await openApp(fast, serve.url, load.sockets));
      refFast = await referenceTyping(fast);
    } finally {
      await fast.close();
    }

    const line = (label: string, xs: number[]) =>
      `${label} p95 ${ms(p95(xs))} ms, median ${ms(pct(xs, 0.5))} ms (${xs.length})`;
    console.log(`bench:ui first render (navigation → ${rows} rows painted): ${ms(firstRender)} ms`);
    console.log(
      `bench:ui keystroke → next frame, frames unthrottled: ${line('Portscope', unthrottled.keys)} | ${line('bare search box', refFast)} | ratio at p95 ${(p95(unthrottled.keys) / p95(refFast)).toFixed(2)}× (target ≤ 16)`,
    );
    console.log(
      `bench:ui keystroke → next frame, 60 Hz vsync: ${line('Portscope', keys)} | ${line('bare search box', refKeys)} | Portscope adds ${ms(p95(keys) - p95(refKeys))} ms at p95`,
    );
    console.log(
      `bench:ui keystroke → its rows painted: ${line('unthrottled', unthrottled.results)} | ${line('vsync', results)}`,
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
      `bench:ui first_render=${ms(firstRender)} keystroke_p95=${ms(p95(unthrottled.keys))} ref_keystroke_p95=${ms(p95(refFast))} keystroke_vsync_p95=${ms(p95(keys))} ref_vsync_p95=${ms(p95(refKeys))} results_p95=${ms(p95(unthrottled.results))} delta_p95=${ms(p95(big(apply)))} long_tasks=${longTasks.length}`,
    );
    // The issue's targets, in the shape `npm run bench:table` reads (saved to bench/results/ui.txt).
    const report = createReport('ui');
    report.target(
      'UI first render, 10,000+ rows (All sockets, reload; median)',
      firstRenderMedian,
      400,
      'ms',
      0,
    );
    report.target(
      'UI keystroke → next frame p95, vs a bare search box',
      p95(unthrottled.keys) / p95(refFast),
      1.2,
      '×',
      2,
    );
    report.target('UI delta of ~100 changes, store apply p95', p95(big(apply)), 4, 'ms');
    report.target('UI long tasks > 50 ms after first render', longTasks.length, 0, 'tasks', 0);
    console.log(`bench:ui saved ${report.save()}`);
  } finally {
    await browser.close();
    await serve.stop();
    // Closing stdin lets the child reset its connections (no TIME_WAIT left for the next run).
    const exited = new Promise((resolve) => load.child.once('exit', resolve));
    load.child.stdin?.end();
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 3000))]);
    load.child.kill('SIGKILL');
  }
}

main().catch((e) => {
  console.error(`bench:ui failed: ${(e as Error).message}`);
  process.exit(1);
});
