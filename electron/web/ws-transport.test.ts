import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ApiError, type ConnectionState, type PortscopeApi } from '../../shared/contract';
import type { Delta } from '../../shared/model';
import { createApi, type PortscopeCore } from '../core/api/api';
import { createKiller } from '../core/kill';
import { Monitor } from '../core/monitor/monitor';
import { type Listener, spawnListener } from '../core/testing/children';
import { startWebServer, type WebServer } from './server';
import { type FakeBuild, makeRendererDir } from './testing/helpers';

/**
 * The renderer's WebSocket transport end to end: the real client code, the real server, the real
 * engine. The `ws` package stands in for the browser's WebSocket, sending the Origin a browser
 * would; the token is what the page took from its URL fragment.
 */

/** The client's shape (renderer/src/api/ws-transport.ts), restated: the two tsconfig projects stay apart. */
type Client = PortscopeApi & { close(): void; connectionState(): ConnectionState };
type CreateWsApi = (opts: {
  url: string;
  connect: (url: string) => unknown;
  timeoutMs?: number;
  token: () => string | null;
}) => Client;
let createWsApi: CreateWsApi;

let build: FakeBuild;
let monitor: Monitor;
let core: PortscopeCore;
let server: WebServer;
/** The page's token (sessionStorage in the browser). */
let token: string | null = '';
const cleanups: (() => void)[] = [];

async function serve(port = 0): Promise<void> {
  server = await startWebServer({ core, rendererDir: build.root, port });
  token = server.token;
}

let dials = 0;

function client(port = server.port) {
  const api = createWsApi({
    url: `ws://127.0.0.1:${port}/ws`,
    connect: (url) => {
      dials++;
      return new WebSocket(url, { headers: { Origin: `http://127.0.0.1:${port}` } });
    },
    timeoutMs: 5_000,
    // Read at every dial, as the page reads sessionStorage; after a restart the test opens the new URL.
    token: () => token,
  });
  cleanups.push(() => api.close());
  return api;
}

function nextState(api: Client, wanted: ConnectionState): Promise<void> {
  return new Promise((resolve) => {
    const off = api.onConnection((s) => {
      if (s === wanted) {
        queueMicrotask(() => off());
        resolve();
      }
    });
  });
}

beforeAll(async () => {
  // Loaded by path so the node typecheck does not pull renderer files into its project.
  const modulePath = join(__dirname, '..', '..', 'renderer', 'src', 'api', 'ws-transport.ts');
  ({ createWsApi } = (await import(/* @vite-ignore */ modulePath)) as { createWsApi: CreateWsApi });
  build = makeRendererDir();
  monitor = new Monitor({ intervalMs: 250 });
  monitor.start();
  core = createApi({ monitor, killer: createKiller() });
  await serve();
});
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});
afterAll(async () => {
  await server.close();
  monitor.stop();
  build.cleanup();
});

describe('WebSocket transport', () => {
  it('requests a snapshot, then sees a port the test opens arrive as a delta push', {
    timeout: 40_000,
  }, async () => {
    const api = client();
    expect(api.transport).toBe('websocket');
    await nextState(api, 'open');
    const snapshot = await api.request('snapshot:get', {});
    expect(snapshot.seq).toBeGreaterThan(0);
    const states: ConnectionState[] = [];
    api.onConnection((s) => states.push(s));
    // Collected from before the spawn: the delta can arrive before spawnListener resolves.
    const deltas: Delta[] = [];
    api.on('delta', (d) => deltas.push(d));
    const child: Listener = await spawnListener({ name: 'ws-fixture' });
    cleanups.push(() => child.kill());
    const addsPort = (d: Delta) => d.added.some((r) => r.localPort === child.port);
    for (let waited = 0; !deltas.some(addsPort); waited += 50) {
      // Say what happened if it never comes (a busy machine, a dropped connection), not just "timeout".
      if (waited > 20_000)
        throw new Error(`no delta added the port: ${deltas.length} deltas, states ${states}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const delta = deltas.find(addsPort) as Delta;
    expect(delta.seq).toBeGreaterThan(snapshot.seq);
    expect(delta.added.find((r) => r.localPort === child.port)?.pid).toBe(child.pid);
  });

  it('rejects an invalid request with the server ApiError', async () => {
    const api = client();
    const err = await api.request('monitor:set-interval', { intervalMs: 1 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('invalid-request');
    expect(monitor.status().intervalMs).toBe(250);
  });

  it('queues requests made while connecting and answers them once open', async () => {
    const api = client();
    const [a, b] = await Promise.all([api.request('monitor:status', {}), api.request('snapshot:get', {})]);
    expect(a.state).toBe('polling');
    expect(Array.isArray(b.rows)).toBe(true);
  });

  it('goes closed when the server stops and reconnects when it is back', async () => {
    const port = server.port;
    const api = client(port);
    await nextState(api, 'open');
    const closed = nextState(api, 'closed');
    await server.close();
    await closed;
    // Made while disconnected: held until the transport is open again, then answered.
    const queued = api.request('monitor:status', {});
    await serve(port);
    await nextState(api, 'open');
    expect((await queued).state).toBe('polling');
  }, 20_000);

  it('says the session ended when the server is back with a new token, and stops dialling', async () => {
    const port = server.port;
    const api = client(port);
    await nextState(api, 'open');
    const oldToken = token;
    const closed = nextState(api, 'closed');
    await server.close();
    await closed;
    await serve(port);
    token = oldToken; // The page still holds the old session's token (no new URL opened).
    await nextState(api, 'expired');
    const dialled = dials;
    await expect(api.request('monitor:status', {})).rejects.toThrow(/session has ended/);
    await new Promise((r) => setTimeout(r, 1_500));
    expect(dials).toBe(dialled);
    token = server.token;
  }, 20_000);

  it('never dials without a token: a page opened without the printed URL is expired at once', async () => {
    const saved = token;
    token = null;
    try {
      const dialled = dials;
      const api = client();
      expect(api.connectionState()).toBe('expired');
      await expect(api.request('monitor:status', {})).rejects.toThrow(/session has ended/);
      expect(dials).toBe(dialled);
    } finally {
      token = saved;
    }
  });

  it('fails pending work once closed by the page', async () => {
    const api = client();
    api.close();
    await expect(api.request('monitor:status', {})).rejects.toBeInstanceOf(ApiError);
    expect(api.connectionState()).toBe('closed');
  });
});
