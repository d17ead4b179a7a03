import { readFileSync } from 'node:fs';
import WebSocket from 'ws';
import { type ServeHandle, type ServeOptions, startServe } from '../../e2e/support/serve';

/**
 * A real `portscope serve` (the built CLI) and a client that keeps one view open over the same
 * WebSocket a page uses: the token as the first frame, then the view's scope. CPU and RSS are read
 * from the server's /proc entry, so the figures are the server's own, not this process's.
 */

/** USER_HZ: the unit of utime/stime in /proc/<pid>/stat (100 on every Linux Node runs on). */
const HZ = 100;

export interface ProcSample {
  /** user + system CPU so far, ms */
  cpuMs: number;
  /** system (kernel) CPU so far, ms: the netlink dump and /proc reads are mostly this */
  systemMs: number;
  /** resident set, bytes */
  rss: number;
}

/** CPU so far and RSS now of one process, from /proc. */
export function sampleProc(pid: number): ProcSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "(comm) " the state is field 3, so utime (14) and stime (15) are indexes 11 and 12.
  const cpuMs = ((Number(f[11]) + Number(f[12])) * 1000) / HZ;
  const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  const systemMs = (Number(f[12]) * 1000) / HZ;
  return { cpuMs, systemMs, rss: m?.[1] ? Number(m[1]) * 1024 : 0 };
}

export interface ViewClient {
  /** Deltas received so far (each poll of an observed view sends one). */
  deltas: number;
  /** Rows the last delta touched, summed since the view opened. */
  changes: number;
  /** Resolves after `n` more deltas. */
  next(n: number): Promise<void>;
  close(): void;
}

/** Open a view on a running serve: authenticate, set the scope, count the deltas pushed. */
export async function openView(serve: ServeHandle, scope: 'listening' | 'all'): Promise<ViewClient> {
  const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/ws`, {
    headers: { Origin: serve.origin },
    maxPayload: 1 << 30,
  });
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const client = { deltas: 0, changes: 0 } as ViewClient;
  const waiters: { at: number; resolve: () => void }[] = [];
  let answered: () => void = () => {};
  const scopeSet = new Promise<void>((r) => {
    answered = r;
  });
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as {
      type: string;
      id?: number;
      channel?: string;
      payload?: { added: unknown[]; removed: unknown[]; changed: unknown[] };
    };
    if (msg.type === 'res' && msg.id === 1) answered();
    if (msg.type !== 'push' || msg.channel !== 'delta' || !msg.payload) return;
    client.deltas++;
    client.changes += msg.payload.added.length + msg.payload.removed.length + msg.payload.changed.length;
    for (const w of waiters.splice(0)) {
      if (client.deltas >= w.at) w.resolve();
      else waiters.push(w);
    }
  });
  ws.send(JSON.stringify({ type: 'auth', token: serve.token }));
  ws.send(JSON.stringify({ type: 'req', id: 1, channel: 'monitor:set-scope', payload: { scope } }));
  await scopeSet;
  client.next = (n) => new Promise((resolve) => waiters.push({ at: client.deltas + n, resolve }));
  client.close = () => ws.close();
  return client;
}

export interface IdleFigures {
  /** Server CPU per wall second while the view is open and nothing changes, ms */
  cpuMsPerSecond: number;
  /** The kernel's share of cpuMsPerSecond, ms */
  systemMsPerSecond: number;
  /** Server CPU per poll (per delta the view received), ms */
  cpuMsPerTick: number;
  ticks: number;
  changes: number;
  rss: number;
}

/**
 * Start-up is not idle: V8 runs its first full collections ~8-9 s after a process starts (seen in
 * serve's GC trace: 45 ms of mark-compact at 8.5 and 9.2 s), once. The idle window opens after this.
 */
const START_UP_MS = 12_000;

/**
 * Start serve, open one view of `scope`, let it settle (first polls, and START_UP_MS since the
 * process started), then measure `seconds` of idle: server CPU per second and per tick, and its
 * RSS at the end.
 */
export async function measureServeIdle(
  scope: 'listening' | 'all',
  seconds: number,
  opts: ServeOptions = {},
): Promise<IdleFigures> {
  const started = performance.now();
  const serve = await startServe({ ...opts, args: ['--interval', '1000', ...(opts.args ?? [])] });
  try {
    return await measureIdle(serve, scope, seconds, started + START_UP_MS);
  } finally {
    await serve.stop();
  }
}

/** The measuring part of measureServeIdle, on a serve already running. */
export async function measureIdle(
  serve: ServeHandle,
  scope: 'listening' | 'all',
  seconds: number,
  /** performance.now() before which the window may not open (the server's start-up) */
  notBefore = 0,
): Promise<IdleFigures> {
  const view = await openView(serve, scope);
  try {
    await view.next(3);
    const wait = notBefore - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const changesBefore = view.changes;
    const ticksBefore = view.deltas;
    const a = sampleProc(serve.pid);
    const t0 = performance.now();
    await new Promise((r) => setTimeout(r, seconds * 1000));
    const b = sampleProc(serve.pid);
    const wall = (performance.now() - t0) / 1000;
    const ticks = view.deltas - ticksBefore;
    return {
      cpuMsPerSecond: (b.cpuMs - a.cpuMs) / wall,
      systemMsPerSecond: (b.systemMs - a.systemMs) / wall,
      cpuMsPerTick: ticks > 0 ? (b.cpuMs - a.cpuMs) / ticks : Number.NaN,
      ticks,
      changes: view.changes - changesBefore,
      rss: b.rss,
    };
  } finally {
    view.close();
  }
}
