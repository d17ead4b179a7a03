import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import type { WsServerMessage } from '../../shared/contract';
import type { Snapshot } from '../../shared/model';
import { createApi } from '../core/api/api';
import { createEngine } from '../core/engine/engine';
import { createKiller } from '../core/kill';
import { Monitor } from '../core/monitor/monitor';
import { type Listener, spawnListener } from '../core/testing/children';
import { nextPolls, until } from '../core/testing/polls';
import { startWebServer, type WebServer } from './server';
import { type FakeBuild, httpGet, login, makeRendererDir, openWs } from './testing/helpers';

/** The browser mode's security rules against a real server, the real engine and real children. */

let build: FakeBuild;
let monitor: Monitor;
let server: WebServer;
let cookie: string;
let origin: string;
let victim: Listener;
const clientCounts: number[] = [];

beforeAll(async () => {
  build = makeRendererDir();
  monitor = new Monitor({ intervalMs: 250 });
  monitor.start();
  const core = createApi({ monitor, killer: createKiller({ graceMs: 300 }) });
  server = await startWebServer({ core, rendererDir: build.root, onClients: (n) => clientCounts.push(n) });
  origin = `http://127.0.0.1:${server.port}`;
  cookie = await login(server.port, server.token);
  victim = await spawnListener({ name: 'web-victim' });
  await monitor.ready();
});
afterAll(async () => {
  victim?.kill();
  await server?.close();
  monitor?.stop();
  build?.cleanup();
});

async function ws(): Promise<WebSocket> {
  const r = await openWs(server.port, { Cookie: cookie, Origin: origin });
  if (!('ws' in r)) throw new Error(`upgrade refused: ${r.status}`);
  return r.ws;
}

/** Send raw text and wait for the next message that is not a push. */
function exchange(socket: WebSocket, text: string | Buffer): Promise<WsServerMessage> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const msg = JSON.parse(data.toString()) as WsServerMessage;
      if (msg.type === 'push') return;
      socket.off('message', onMessage);
      resolve(msg);
    };
    socket.on('message', onMessage);
    socket.send(text);
  });
}

const portOpen = (host: string, port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ host, port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('web server: HTTP', () => {
  it('prints a 127.0.0.1 URL with a ≥128-bit token and listens on 127.0.0.1 only', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(server.host).toBe('127.0.0.1');
    expect(await portOpen('127.0.0.1', server.port)).toBe(true);
    // Another loopback address and IPv6 loopback: not bound.
    expect(await portOpen('127.0.0.2', server.port)).toBe(false);
    expect(await portOpen('::1', server.port)).toBe(false);
  });

  it('answers 401 without a token, with a wrong one, and for /healthz', async () => {
    expect((await httpGet(server.port, '/')).status).toBe(401);
    expect((await httpGet(server.port, '/healthz')).status).toBe(401);
    expect((await httpGet(server.port, '/assets/app.js')).status).toBe(401);
    const sameLength = server.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    expect((await httpGet(server.port, `/?token=${sameLength}`)).status).toBe(401);
    expect((await httpGet(server.port, '/?token=short')).status).toBe(401);
    const forged = `portscope_${server.port}=${sameLength}`;
    expect((await httpGet(server.port, '/', { Cookie: forged })).status).toBe(401);
  });

  it('trades the token for an HttpOnly SameSite=Strict cookie and a redirect without it', async () => {
    const res = await httpGet(server.port, `/?view=quick&token=${server.token}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/?view=quick');
    const set = res.headers['set-cookie']?.[0] ?? '';
    expect(set).toMatch(/HttpOnly/);
    expect(set).toMatch(/SameSite=Strict/);
    const page = await httpGet(server.port, '/?view=quick', { Cookie: cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
    expect((await httpGet(server.port, '/healthz', { Cookie: cookie })).status).toBe(200);
  });

  it('redirects a token URL only to a path on this server', async () => {
    const res = await httpGet(server.port, `/x/..//evil.example/?token=${server.token}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/evil.example/');
  });

  it('refuses an upgrade to an unparsable path and keeps serving', async () => {
    expect(await openWs(server.port, { Cookie: cookie, Origin: origin }, '//')).toEqual({ status: 404 });
    expect((await httpGet(server.port, '//', { Cookie: cookie })).status).toBe(400);
    expect((await httpGet(server.port, '/healthz', { Cookie: cookie })).status).toBe(200);
  });

  it('sends no CORS headers, even to a foreign Origin', async () => {
    const res = await httpGet(server.port, '/', { Cookie: cookie, Origin: 'http://evil.example' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(Object.keys(res.headers).some((h) => h.startsWith('access-control-'))).toBe(false);
  });

  it('answers 403 to a foreign Host header, even with the token or cookie (DNS rebinding)', async () => {
    for (const Host of [
      'evil.example',
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      '127.0.0.1',
    ]) {
      expect((await httpGet(server.port, `/?token=${server.token}`, { Host })).status).toBe(403);
      expect((await httpGet(server.port, '/', { Host, Cookie: cookie })).status).toBe(403);
    }
    expect(
      (await httpGet(server.port, '/', { Host: `localhost:${server.port}`, Cookie: cookie })).status,
    ).toBe(200);
  });

  it('serves files with their MIME type and refuses traversal, symlinks out and directories', async () => {
    const js = await httpGet(server.port, '/assets/app.js', { Cookie: cookie });
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(
      (await httpGet(server.port, '/assets/blob.weird', { Cookie: cookie })).headers['content-type'],
    ).toBe('application/octet-stream');
    const attempts = [
      '/../secret.txt',
      '/%2e%2e/secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e%2f%2e%2e%2fsecret.txt',
      '/..%5csecret.txt',
      '/assets/escape.txt',
      '/assets/',
      '/assets',
      '/index.html%00.js',
      '/%E0%A4%A',
      '//etc/passwd',
    ];
    for (const path of attempts) {
      const res = await httpGet(server.port, path, { Cookie: cookie });
      expect([400, 403, 404], path).toContain(res.status);
      expect(res.body).not.toContain(build.secret);
    }
  });

  it('refuses state-changing methods: 403 cross-origin, 405 otherwise', async () => {
    expect(
      (await httpGet(server.port, '/', { Cookie: cookie, Origin: 'http://evil.example' }, 'POST')).status,
    ).toBe(403);
    expect((await httpGet(server.port, '/', { Cookie: cookie, Origin: origin }, 'POST')).status).toBe(405);
  });
});

describe('web server: WebSocket', () => {
  it('refuses upgrades without cookie, with a foreign Origin or Host, or none', async () => {
    expect(await openWs(server.port, { Origin: origin })).toEqual({ status: 401 });
    expect(await openWs(server.port, { Cookie: cookie, Origin: 'http://evil.example' })).toEqual({
      status: 403,
    });
    expect(await openWs(server.port, { Cookie: cookie })).toEqual({ status: 403 });
    const host = { Cookie: cookie, Origin: 'http://evil.example:1', Host: 'evil.example:1' };
    expect(await openWs(server.port, host)).toEqual({ status: 403 });
  });

  it('runs valid requests and answers bad ones with an error, changing nothing', async () => {
    const socket = await ws();
    const snap = await exchange(
      socket,
      JSON.stringify({ type: 'req', id: 1, channel: 'snapshot:get', payload: {} }),
    );
    expect(snap).toMatchObject({ type: 'res', id: 1, ok: true });
    expect(((snap as { result: Snapshot }).result.rows ?? []).length).toBeGreaterThan(0);

    const bad: [string, string][] = [
      ['not json at all', 'invalid-request'],
      ['{"type":"req","id":2,"channel":"monitor:pause","payload":{},"extra":1}', 'invalid-request'],
      ['{"type":"req","id":3,"channel":"monitor:pause","payload":{"now":true}}', 'invalid-request'],
      ['{"type":"req","id":4,"channel":"exec","payload":{}}', 'unknown-channel'],
      [
        JSON.stringify({
          type: 'req',
          id: 5,
          channel: 'kill:run',
          payload: { target: { pid: `${victim.pid}; id`, startId: 'x' }, force: true },
        }),
        'invalid-request',
      ],
      [
        JSON.stringify({
          type: 'req',
          id: 6,
          channel: 'kill:run',
          payload: { target: { pid: victim.pid, startId: 'forged' }, force: true },
        }),
        'ok',
      ],
    ];
    for (const [text, code] of bad) {
      const reply = await exchange(socket, text);
      if (code === 'ok') {
        // A well-formed kill of an identity never shown: answered, refused, nothing sent.
        expect(reply).toMatchObject({ ok: true, result: { outcome: 'refused', signals: [] } });
      } else expect(reply).toMatchObject({ type: 'res', ok: false, error: { code } });
    }
    expect(await exchange(socket, Buffer.from([1, 2, 3]))).toMatchObject({ ok: false });
    expect(monitor.status().state).toBe('polling');
    await nextPolls(monitor, 2);
    expect(victim.alive()).toBe(true);
    socket.close();
  });

  it('survives floods, garbage and oversize frames, closing only the abusive connection', async () => {
    const flooder = await ws();
    const closed = new Promise<number>((resolve) => flooder.once('close', (code) => resolve(code)));
    for (let i = 0; i < 2000; i++) flooder.send(`garbage ${i} \u0000\u00ff{`);
    expect(await closed).toBe(1008);

    const big = await ws();
    const bigClosed = new Promise<number>((resolve) => big.once('close', (code) => resolve(code)));
    big.send('x'.repeat(200 * 1024));
    expect(await bigClosed).toBe(1009);

    expect((await httpGet(server.port, '/healthz', { Cookie: cookie })).status).toBe(200);
    const fresh = await ws();
    const reply = await exchange(fresh, JSON.stringify({ type: 'req', id: 9, channel: 'monitor:status' }));
    expect(reply).toMatchObject({ id: 9, ok: true, result: { state: 'polling' } });
    fresh.close();
  });

  it('reports connected clients so the monitor can slow down when nobody watches', async () => {
    const before = clientCounts.length;
    const socket = await ws();
    await until(() => clientCounts.length > before, 5000, 'the server to count the client');
    expect(clientCounts.slice(before)[0]).toBeGreaterThanOrEqual(1);
    const closed = new Promise((r) => socket.once('close', r));
    socket.close();
    await closed;
    await until(() => clientCounts.at(-1) === 0, 5000, 'the server to count the client gone');
  });
});

describe('web server: options', () => {
  it('drops a client that stops answering pings, keeps one that answers', async () => {
    const counts: number[] = [];
    const core = createApi({ monitor, killer: createKiller() });
    const quick = await startWebServer({
      core,
      rendererDir: build.root,
      heartbeatMs: 100,
      onClients: (n) => counts.push(n),
    });
    try {
      const c = await login(quick.port, quick.token);
      const headers = { Cookie: c, Origin: `http://127.0.0.1:${quick.port}` };
      const live = await openWs(quick.port, headers);
      const dead = await openWs(quick.port, headers, '/ws', false);
      if (!('ws' in live) || !('ws' in dead)) throw new Error('upgrade refused');
      const deadClosed = new Promise((resolve) => dead.ws.once('close', resolve));
      await deadClosed;
      // The server notices its side of the drop a moment after the client does.
      for (let i = 0; i < 50 && counts.at(-1) !== 1; i++) await new Promise((r) => setTimeout(r, 20));
      expect(counts.at(-1)).toBe(1);
      // Three more heartbeats answered (pings the live client saw), and it is still connected.
      await new Promise<void>((resolve) => {
        let pings = 0;
        live.ws.on('ping', () => {
          if (++pings === 3) resolve();
        });
      });
      expect(live.ws.readyState).toBe(live.ws.OPEN);
      live.ws.close();
    } finally {
      await quick.close();
    }
  });

  it('serves on IPv6 loopback with a bracketed URL and Host', async () => {
    const core = createApi({ monitor, killer: createKiller() });
    const v6 = await startWebServer({ core, host: '::1', rendererDir: build.root });
    try {
      expect(v6.url).toBe(`http://[::1]:${v6.port}/?token=${v6.token}`);
      expect(await portOpen('::1', v6.port)).toBe(true);
      // Only ::1: the kernel's own table shows every socket of ours on that port bound to ::1
      // (probing 127.0.0.1:<port> would race any other program that happens to hold it).
      const { rows } = await createEngine().collect('listening');
      const ours = rows.filter((r) => r.localPort === v6.port && r.pid === process.pid);
      expect(ours.map((r) => r.localAddress)).toEqual(['::1']);
    } finally {
      await v6.close();
    }
  });

  it('refuses a non-loopback host without allowRemote', async () => {
    const core = createApi({ monitor, killer: createKiller() });
    await expect(startWebServer({ core, host: '0.0.0.0', rendererDir: build.root })).rejects.toThrow(
      /--allow-remote/,
    );
  });
});
