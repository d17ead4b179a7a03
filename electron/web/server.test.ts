import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type WebSocket from 'ws';
import type { WsServerMessage } from '../../shared/contract';
import type { Snapshot } from '../../shared/model';
import { decodeResult } from '../../shared/wire';
import { createApi } from '../core/api/api';
import { createEngine } from '../core/engine/engine';
import { createKiller } from '../core/kill';
import { Monitor } from '../core/monitor/monitor';
import { type Listener, spawnListener } from '../core/testing/children';
import { nextPolls, until } from '../core/testing/polls';
import { startWebServer, type WebServer } from './server';
import { authedWs, closeOf, type FakeBuild, httpGet, makeRendererDir, openWs } from './testing/helpers';

/** The browser mode's security rules against a real server, the real engine and real children. */

let build: FakeBuild;
let monitor: Monitor;
let server: WebServer;
let origin: string;
let victim: Listener;
const clientCounts: number[] = [];

/** Everything written to the console or the process's own stdout/stderr while these tests run. */
const logged: string[] = [];
/** Every token of every server started here. */
const tokens: string[] = [];

beforeAll(async () => {
  for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const original = console[m].bind(console);
    vi.spyOn(console, m).mockImplementation((...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
      original(...args);
    });
  }
  for (const stream of [process.stdout, process.stderr]) {
    const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    vi.spyOn(stream, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
      logged.push(String(chunk));
      return original(chunk, ...rest);
    }) as typeof stream.write);
  }
  build = makeRendererDir();
  monitor = new Monitor({ intervalMs: 250 });
  monitor.start();
  const core = createApi({ monitor, killer: createKiller({ graceMs: 300 }) });
  server = await startWebServer({ core, rendererDir: build.root, onClients: (n) => clientCounts.push(n) });
  origin = `http://127.0.0.1:${server.port}`;
  tokens.push(server.token);
  victim = await spawnListener({ name: 'web-victim' });
  await monitor.ready();
});
afterAll(async () => {
  vi.restoreAllMocks();
  victim?.kill();
  await server?.close();
  monitor?.stop();
  build?.cleanup();
});

/** A socket as our page has it: our Origin, authenticated with the token. */
const ws = (): Promise<WebSocket> => authedWs(server.port, server.token);

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

/** A socket opened as our page would (our Origin) that has not authenticated; records what it gets. */
async function rawSocket(port = server.port): Promise<{ socket: WebSocket; messages: string[] }> {
  const r = await openWs(port, { Origin: `http://127.0.0.1:${port}` });
  if (!('ws' in r)) throw new Error(`upgrade refused: ${r.status}`);
  const messages: string[] = [];
  r.ws.on('message', (d) => messages.push(d.toString()));
  return { socket: r.ws, messages };
}

/** The raw answer to an upgrade request with this Host (the refusal is written by hand, not by http). */
function rawUpgrade(port: number, host: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port }, () => {
      s.write(
        `GET /ws HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
          'Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
      );
    });
    let text = '';
    s.on('data', (d) => {
      text += d.toString();
    });
    s.on('close', () => resolve(text));
    s.on('error', () => resolve(text));
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
  it('prints a 127.0.0.1 URL with a ≥128-bit token in the fragment and listens on 127.0.0.1 only', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/#token=${server.token}`);
    expect(Buffer.from(server.token, 'base64url').length).toBeGreaterThanOrEqual(16);
    expect(server.host).toBe('127.0.0.1');
    expect(await portOpen('127.0.0.1', server.port)).toBe(true);
    // Another loopback address and IPv6 loopback: not bound.
    expect(await portOpen('127.0.0.2', server.port)).toBe(false);
    expect(await portOpen('::1', server.port)).toBe(false);
  });

  it('serves pages and assets without any credential, never sets a cookie, and ignores one', async () => {
    const page = await httpGet(server.port, '/?view=quick');
    expect(page.status).toBe(200);
    expect(page.body).toContain('<div id="root">');
    expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(page.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect((await httpGet(server.port, '/assets/app.js')).status).toBe(200);
    // The old login routes are gone: a token in the query is just a query, no cookie, no redirect.
    const old = await httpGet(server.port, `/?token=${server.token}`);
    expect(old.status).toBe(200);
    expect(old.headers['set-cookie']).toBeUndefined();
    const forged = await httpGet(server.port, '/', { Cookie: `portscope_${server.port}=${server.token}` });
    expect(forged.headers['set-cookie']).toBeUndefined();
    // Nothing served over HTTP contains the secret.
    for (const r of [page, old, forged]) expect(JSON.stringify(r)).not.toContain(server.token);
  });

  it('answers /healthz with liveness only, no client count, no token needed', async () => {
    const socket = await ws();
    const res = await httpGet(server.port, '/healthz');
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toEqual({ ok: true });
    socket.close();
  });

  it('sends Referrer-Policy: no-referrer on every response, refusals included', async () => {
    const answers = [
      await httpGet(server.port, '/'),
      await httpGet(server.port, '/healthz'),
      await httpGet(server.port, '/nope'),
      await httpGet(server.port, '/ws'),
      await httpGet(server.port, '/', { Host: 'evil.example' }),
      await httpGet(server.port, '/', { Origin: origin }, 'POST'),
    ];
    for (const r of answers) expect(r.headers['referrer-policy'], String(r.status)).toBe('no-referrer');
    const refused = await rawUpgrade(server.port, 'evil.example');
    expect(refused).toMatch(/^HTTP\/1\.1 403/);
    expect(refused).toMatch(/\r\nReferrer-Policy: no-referrer\r\n/i);
  });

  it('refuses an upgrade to an unparsable path and keeps serving', async () => {
    expect(await openWs(server.port, { Origin: origin }, '//')).toEqual({ status: 404 });
    expect((await httpGet(server.port, '//')).status).toBe(400);
    expect((await httpGet(server.port, '/healthz')).status).toBe(200);
  });

  it('sends no CORS headers, even to a foreign Origin', async () => {
    const res = await httpGet(server.port, '/', { Origin: 'http://evil.example' });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect(Object.keys(res.headers).some((h) => h.startsWith('access-control-'))).toBe(false);
  });

  it('answers 403 to a foreign Host header (DNS rebinding)', async () => {
    for (const Host of [
      'evil.example',
      `evil.example:${server.port}`,
      `127.0.0.1:${server.port + 1}`,
      '127.0.0.1',
    ]) {
      expect((await httpGet(server.port, '/', { Host })).status).toBe(403);
      expect((await httpGet(server.port, '/healthz', { Host })).status).toBe(403);
    }
    expect((await httpGet(server.port, '/', { Host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('serves files with their MIME type and refuses traversal, symlinks out and directories', async () => {
    const js = await httpGet(server.port, '/assets/app.js');
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await httpGet(server.port, '/assets/blob.weird')).headers['content-type']).toBe(
      'application/octet-stream',
    );
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
      const res = await httpGet(server.port, path);
      expect([400, 403, 404], path).toContain(res.status);
      expect(res.body).not.toContain(build.secret);
    }
  });

  it('refuses state-changing methods: 403 cross-origin, 405 otherwise', async () => {
    expect((await httpGet(server.port, '/', { Origin: 'http://evil.example' }, 'POST')).status).toBe(403);
    expect((await httpGet(server.port, '/', { Origin: origin }, 'POST')).status).toBe(405);
  });
});

describe('web server: WebSocket', () => {
  it('refuses upgrades with a foreign Origin or Host, or none', async () => {
    expect(await openWs(server.port, { Origin: 'http://evil.example' })).toEqual({ status: 403 });
    expect(await openWs(server.port, {})).toEqual({ status: 403 });
    const host = { Origin: 'http://evil.example:1', Host: 'evil.example:1' };
    expect(await openWs(server.port, host)).toEqual({ status: 403 });
  });

  it('answers an auth frame with the right token with {type:"auth", ok:true}, then serves', async () => {
    const socket = await ws();
    const reply = await exchange(socket, JSON.stringify({ type: 'req', id: 1, channel: 'monitor:status' }));
    expect(reply).toMatchObject({ type: 'res', id: 1, ok: true });
    socket.close();
  });

  it('closes a socket whose token is wrong (4401) without serving what came behind it', async () => {
    const sameLength = server.token.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'));
    for (const token of [sameLength, 'short', '', `${server.token}x`]) {
      const { socket, messages } = await rawSocket();
      const closed = closeOf(socket);
      socket.send(JSON.stringify({ type: 'auth', token }));
      socket.send(JSON.stringify({ type: 'req', id: 1, channel: 'monitor:pause', payload: {} }));
      const { code, reason } = await closed;
      expect(code, token).toBe(4401);
      expect(reason).toMatch(/session ended/);
      expect(reason).not.toContain(token || '\u0000');
      expect(messages).toEqual([]);
    }
    expect(monitor.status().state).toBe('polling');
  });

  it('closes a socket whose first frame is not an auth frame (4400) and serves none of it', async () => {
    const firsts: (string | Buffer)[] = [
      JSON.stringify({ type: 'req', id: 1, channel: 'monitor:pause', payload: {} }),
      JSON.stringify({ type: 'auth', token: server.token, extra: 1 }),
      JSON.stringify({ type: 'auth' }),
      'not json',
      Buffer.from(server.token),
    ];
    for (const first of firsts) {
      const { socket, messages } = await rawSocket();
      const closed = closeOf(socket);
      socket.send(first);
      // Even the right token right behind it is too late.
      socket.send(JSON.stringify({ type: 'auth', token: server.token }));
      expect((await closed).code, String(first)).toBe(4400);
      expect(messages).toEqual([]);
    }
    expect(monitor.status().state).toBe('polling');
  });

  it('survives an oversize or broken frame before auth, closing only that socket', async () => {
    const big = await rawSocket();
    const bigClosed = closeOf(big.socket);
    big.socket.send('x'.repeat(200 * 1024));
    expect((await bigClosed).code).toBe(1009);
    const broken = await rawSocket();
    const brokenClosed = closeOf(broken.socket);
    // A frame with a reserved opcode (0x3), unmasked: a protocol error on the server side.
    (broken.socket as unknown as { _socket: import('node:net').Socket })._socket.write(
      Buffer.from([0x83, 0x00]),
    );
    expect((await brokenClosed).code).toBeGreaterThanOrEqual(1002);
    const fresh = await ws();
    const reply = await exchange(fresh, JSON.stringify({ type: 'req', id: 7, channel: 'monitor:status' }));
    expect(reply).toMatchObject({ id: 7, ok: true });
    fresh.close();
  });

  it('closes a silent socket after the auth time limit (4408), having sent it nothing, not even a push', async () => {
    const core = createApi({ monitor, killer: createKiller() });
    const counts: number[] = [];
    const strict = await startWebServer({
      core,
      rendererDir: build.root,
      authTimeoutMs: 600,
      onClients: (n) => counts.push(n),
    });
    tokens.push(strict.token);
    try {
      const { socket, messages } = await rawSocket(strict.port);
      const started = Date.now();
      const { code, reason } = await closeOf(socket);
      expect(code).toBe(4408);
      expect(reason).toMatch(/no auth message/);
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      // The monitor polled (and pushed to its clients) meanwhile: this socket was not one of them.
      expect(messages).toEqual([]);
      expect(counts).toEqual([]);
    } finally {
      await strict.close();
    }
  });

  it('runs valid requests and answers bad ones with an error, changing nothing', async () => {
    const socket = await ws();
    const snap = await exchange(
      socket,
      JSON.stringify({ type: 'req', id: 1, channel: 'snapshot:get', payload: {} }),
    );
    expect(snap).toMatchObject({ type: 'res', id: 1, ok: true });
    // Rows cross as columns (shared/wire.ts); the page decodes them like this.
    const rows = (decodeResult('snapshot:get', (snap as { result: unknown }).result) as Snapshot).rows;
    expect(rows.length).toBeGreaterThan(0);

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

    expect((await httpGet(server.port, '/healthz')).status).toBe(200);
    const fresh = await ws();
    const reply = await exchange(fresh, JSON.stringify({ type: 'req', id: 9, channel: 'monitor:status' }));
    expect(reply).toMatchObject({ id: 9, ok: true, result: { state: 'polling' } });
    fresh.close();
  });

  it('reports connected clients so the monitor can slow down when nobody watches', async () => {
    // Sockets of earlier tests are closing too: start once the server has counted them all gone.
    await until(() => clientCounts.at(-1) === 0, 5000, 'earlier clients to be counted gone');
    const before = clientCounts.length;
    const unauthenticated = await rawSocket();
    const socket = await ws();
    await until(() => clientCounts.length > before, 5000, 'the server to count the client');
    // Counted once it authenticated; the socket that never did is not a client.
    expect(clientCounts.slice(before)).toEqual([1]);
    unauthenticated.socket.close();
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
    tokens.push(quick.token);
    try {
      const live = { ws: await authedWs(quick.port, quick.token) };
      const dead = await openWs(quick.port, { Origin: `http://127.0.0.1:${quick.port}` }, '/ws', false);
      if (!('ws' in dead)) throw new Error('upgrade refused');
      dead.ws.send(JSON.stringify({ type: 'auth', token: quick.token }));
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
    tokens.push(v6.token);
    try {
      expect(v6.url).toBe(`http://[::1]:${v6.port}/#token=${v6.token}`);
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

describe('web server: logs', () => {
  it('never wrote a token to the console or the terminal, through everything above', () => {
    expect(tokens.length).toBeGreaterThanOrEqual(4);
    for (const token of tokens) expect(logged.filter((line) => line.includes(token))).toEqual([]);
  });
});
