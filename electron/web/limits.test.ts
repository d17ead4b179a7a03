import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { createApi } from '../core/api/api';
import { createKiller } from '../core/kill';
import { Monitor } from '../core/monitor/monitor';
import { WS_TRY_AGAIN_LATER } from './limits';
import { startWebServer, type WebServer } from './server';
import { type FakeBuild, makeRendererDir, openWs, ownOrigin } from './testing/helpers';

/**
 * Global connection caps and the Host rules against the real server over real sockets. Before this
 * change every extra connection was served, and a request with two Host headers was answered
 * (Node keeps the first and drops the rest).
 */

let build: FakeBuild;
let monitor: Monitor;
const servers: WebServer[] = [];
const sockets: Socket[] = [];

beforeAll(() => {
  build = makeRendererDir();
  monitor = new Monitor({ intervalMs: 1000 });
});
afterAll(async () => {
  for (const s of sockets) s.destroy();
  for (const s of servers) await s.close();
  monitor.stop();
  build.cleanup();
});

async function serve(caps?: { http: number; ws: number }): Promise<WebServer> {
  const core = createApi({ monitor, killer: createKiller() });
  const server = await startWebServer({
    core,
    rendererDir: build.root,
    ...(caps ? { connectionCaps: caps } : {}),
  });
  servers.push(server);
  return server;
}

/** A raw TCP connection to the server; `ask` sends bytes and resolves with one whole response. */
async function raw(port: number) {
  const socket = connect({ host: '127.0.0.1', port });
  sockets.push(socket);
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  let buffer = '';
  let ended = false;
  let wake = () => {};
  socket.setEncoding('utf8');
  socket.on('data', (d: string) => {
    buffer += d;
    wake();
  });
  socket.on('end', () => {
    ended = true;
    wake();
  });
  socket.on('error', () => {
    ended = true;
    wake();
  });
  /** The next complete response (head + Content-Length or chunked body), or what came before the end. */
  const next = async (): Promise<string> => {
    for (;;) {
      const head = buffer.indexOf('\r\n\r\n');
      if (head >= 0) {
        const headers = buffer.slice(0, head);
        const chunkedEnd = buffer.indexOf('\r\n0\r\n\r\n', head);
        const end = /transfer-encoding: *chunked/i.test(headers)
          ? chunkedEnd < 0
            ? -1
            : chunkedEnd + 7
          : head + 4 + Number(/content-length: *(\d+)/i.exec(headers)?.[1] ?? 0);
        if (end >= 0 && buffer.length >= end) {
          const response = buffer.slice(0, end);
          buffer = buffer.slice(end);
          return response;
        }
      }
      if (ended) return buffer;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  };
  return {
    socket,
    ask: (text: string) => {
      socket.write(text);
      return next();
    },
    ended: () => ended,
  };
}

const get = (port: number, extra = '') => `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n${extra}\r\n`;
const status = (response: string) => Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0);

describe('connection caps', () => {
  it('refuses the HTTP connection over the cap with 503 and Connection: close; earlier ones keep working', async () => {
    const server = await serve({ http: 3, ws: 3 });
    const open = [await raw(server.port), await raw(server.port), await raw(server.port)];
    // Each answered request proves the server counted that connection.
    for (const c of open) {
      const r = await c.ask(get(server.port));
      expect(status(r), JSON.stringify(r)).toBe(200);
    }
    const extra = await raw(server.port);
    const refused = await extra.ask(get(server.port));
    expect(status(refused)).toBe(503);
    expect(refused).toMatch(/\r\nConnection: close\r\n/i);
    expect(refused).toContain('too many open connections');
    for (const c of open) {
      const r = await c.ask(get(server.port));
      expect(status(r), JSON.stringify(r)).toBe(200);
    }
  });

  it('closes the WebSocket over the cap with 1013 "try again later"; earlier ones keep working', async () => {
    // An upgraded connection leaves the HTTP count: three WebSockets fit beside an HTTP cap of 2.
    const server = await serve({ http: 2, ws: 2 });
    // Counted on upgrade, before any first-frame authentication: no token is needed to hold a place.
    const headers = { Origin: ownOrigin(server.port) };
    const first = await openWs(server.port, headers);
    const second = await openWs(server.port, headers);
    const third = await openWs(server.port, headers);
    if (!('ws' in first && 'ws' in second && 'ws' in third)) throw new Error('an upgrade was refused');
    const [code, reason] = await new Promise<[number, string]>((resolve) =>
      third.ws.once('close', (c: number, r: Buffer) => resolve([c, r.toString()])),
    );
    expect(code).toBe(WS_TRY_AGAIN_LATER);
    expect(reason).toBe('try again later');
    for (const ws of [first.ws, second.ws] as WebSocket[]) {
      const pong = new Promise<void>((resolve) => ws.once('pong', () => resolve()));
      ws.ping();
      await pong;
      expect(ws.readyState).toBe(ws.OPEN);
      ws.close();
    }
  });
});

describe('Host header', () => {
  it('answers 400 to two Host headers, even when the first is ours', async () => {
    const server = await serve();
    const ours = `127.0.0.1:${server.port}`;
    const c = await raw(server.port);
    const response = await c.ask(`GET /healthz HTTP/1.1\r\nHost: ${ours}\r\nHost: evil.example\r\n\r\n`);
    expect(status(response)).toBe(400);
    const c2 = await raw(server.port);
    expect(status(await c2.ask(`GET /healthz HTTP/1.1\r\nHost: evil.example\r\nHost: ${ours}\r\n\r\n`))).toBe(
      400,
    );
  });

  it('answers 400 to a missing or malformed Host, and to such an upgrade', async () => {
    const server = await serve();
    const p = server.port;
    const bad = [
      `127.0.0.1:${p}/x`,
      `user@127.0.0.1:${p}`,
      `127.0.0.1:${p} x`,
      `127.0.0.1:${p}:1`,
      '[::1',
      '',
    ];
    for (const host of bad) {
      const c = await raw(p);
      expect(status(await c.ask(`GET / HTTP/1.1\r\nHost: ${host}\r\n\r\n`)), host).toBe(400);
    }
    const c = await raw(p);
    expect(status(await c.ask('GET / HTTP/1.0\r\n\r\n'))).toBe(400);
    const up = await raw(p);
    const upgrade = await up.ask(
      `GET /ws HTTP/1.1\r\nHost: 127.0.0.1:${p}\r\nHost: evil.example\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n`,
    );
    expect(status(upgrade)).toBe(400);
    // One well-formed Host of ours still gets the usual answer.
    const ok = await raw(p);
    expect(status(await ok.ask(get(p)))).toBe(200);
  });
});
