import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { type WebSocket, WebSocketServer } from 'ws';
import type { PortscopeCore } from '../core/api/api';
import { type ConnectionCaps, limitConnections } from './limits';
import {
  allowedHosts,
  deny,
  hostAllowed,
  hostForUrl,
  hostHeaderProblem,
  isLoopbackHost,
  newToken,
  originAllowed,
  SECURITY_HEADERS,
  tokenMatches,
} from './security';
import { serveStatic } from './static-files';
import { requireAuth } from './ws-auth';
import { attachSession, DEFAULT_LIMITS, type SessionLimits } from './ws-session';

/**
 * The browser mode's server: the built renderer over HTTP and the contract over a WebSocket at
 * /ws, on loopback. Pages and assets hold no secret and are served to any request naming our Host;
 * every api call goes through the socket, which must authenticate with the per-launch token in its
 * first frame (ws-auth.ts). The token reaches the page in the URL fragment, which no browser sends
 * to any server, and lives in the tab's sessionStorage (scoped to scheme, host and port), never in
 * a cookie (shared by every port of a host).
 */

export interface WebServerOptions {
  core: PortscopeCore;
  /** Default 127.0.0.1. A non-loopback address needs allowRemote. */
  host?: string;
  /** Default 0 (a free port). */
  port?: number;
  allowRemote?: boolean;
  /** Directory of the built renderer (out/renderer). */
  rendererDir: string;
  /** Called with the number of connected WebSocket clients whenever it changes. */
  onClients?: (count: number) => void;
  /** Caps on open HTTP and WebSocket connections (default 64 each; tests lower them). */
  connectionCaps?: ConnectionCaps;
  /** Override the per-connection limits (tests). */
  limits?: SessionLimits;
  /** Largest WebSocket message accepted, in bytes (default 64 KiB). */
  maxPayload?: number;
  /** Ping period; a client that missed the previous ping is dropped (default 30 s). */
  heartbeatMs?: number;
  /** How long a new socket has to send its auth frame (default 10 s). */
  authTimeoutMs?: number;
}

export interface WebServer {
  /** http://127.0.0.1:<port>/#token=<t> — the one URL that logs a browser in (token in the fragment). */
  url: string;
  port: number;
  /** The bound address. */
  host: string;
  token: string;
  close(): Promise<void>;
}

/** Thrown when options are unsafe or invalid (the CLI prints it as a usage error). */
export class WebServerConfigError extends Error {
  override name = 'WebServerConfigError';
}

/** Start the server; resolves once it listens. */
export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const requested = opts.host ?? '127.0.0.1';
  // 'localhost' may resolve to either family; bind the address we print.
  const host = requested === 'localhost' ? '127.0.0.1' : requested;
  if (!isLoopbackHost(host) && !opts.allowRemote) {
    throw new WebServerConfigError(
      `refusing to listen on non-loopback address ${host} without --allow-remote`,
    );
  }
  const token = newToken();
  const root = opts.rendererDir;
  let port = 0;
  let hosts = new Set<string>();
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? 64 * 1024 });
  const limits = opts.limits ?? DEFAULT_LIMITS;

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (hostHeaderProblem(req)) return deny(res, 400, 'Bad request: one well-formed Host header is required');
    if (!hostAllowed(req, hosts)) return deny(res, 403, 'Forbidden: unexpected Host header');
    const url = parseRequestUrl(req);
    if (!url) return deny(res, 400, 'Bad request');
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      // Nothing here changes state over plain HTTP; a foreign origin still learns nothing more.
      if (!originAllowed(req)) return deny(res, 403, 'Forbidden: cross-origin request');
      res.setHeader('Allow', 'GET, HEAD');
      return deny(res, 405, 'Method not allowed');
    }
    if (url.pathname === '/healthz') {
      res.writeHead(200, {
        ...SECURITY_HEADERS,
        'Content-Type': 'application/json',
        'Cache-Control': 'no-store',
      });
      // Liveness only: no count of clients or anything else about the session (no token needed).
      res.end(JSON.stringify({ ok: true }));
      return;
    }
    if (url.pathname === '/ws') return deny(res, 426, 'Upgrade required');
    // Browsers ask for /favicon.ico on their own: answer with the app icon the page links (a PNG).
    const path = url.pathname === '/favicon.ico' ? '/favicon-32.png' : url.pathname;
    serveStatic(req, res, root, path).catch(() => {
      if (!res.headersSent) deny(res, 500, 'Internal error');
      else res.destroy();
    });
  };

  const refuseUpgrade = (socket: Duplex, status: string) => {
    socket.end(
      `HTTP/1.1 ${status}\r\nConnection: close\r\nReferrer-Policy: no-referrer\r\nContent-Length: 0\r\n\r\n`,
    );
    socket.destroy();
  };

  const onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', () => socket.destroy());
    if (hostHeaderProblem(req)) return refuseUpgrade(socket, '400 Bad Request');
    if (!hostAllowed(req, hosts)) return refuseUpgrade(socket, '403 Forbidden');
    // Any page can open a WebSocket to loopback; only ours may.
    if (!originAllowed(req)) return refuseUpgrade(socket, '403 Forbidden');
    if (parseRequestUrl(req)?.pathname !== '/ws') return refuseUpgrade(socket, '404 Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Counted before the first frame: sockets that have not authenticated yet hold a place too.
      if (limiter.refuseWebSocket(ws, wss.clients.size)) return;
      alive.add(ws);
      ws.on('pong', () => alive.add(ws));
      // Nothing is served before the first frame proves the token; only then is it a client.
      requireAuth(
        ws,
        { authenticate: (given) => tokenMatches(token, given), timeoutMs: opts.authTimeoutMs },
        () => {
          attachSession(ws, opts.core, limits);
          clients.add(ws);
          opts.onClients?.(clients.size);
          ws.once('close', () => {
            clients.delete(ws);
            opts.onClients?.(clients.size);
          });
        },
      );
    });
  };

  /** Authenticated sockets: the tabs actually watching. */
  const clients = new Set<WebSocket>();
  // A tab that vanished without a close (sleep, network drop) must not count as watching forever.
  const alive = new WeakSet<WebSocket>();
  const heartbeat = setInterval(() => {
    for (const ws of wss.clients) {
      if (!alive.has(ws)) {
        ws.terminate();
        continue;
      }
      alive.delete(ws);
      ws.ping();
    }
  }, opts.heartbeatMs ?? 30_000);
  heartbeat.unref();

  const server = createServer(onRequest);
  server.on('upgrade', onUpgrade);
  const limiter = limitConnections(server, opts.connectionCaps);
  // Malformed HTTP from one client must not take the server down.
  server.on('clientError', (_err, socket) => socket.destroy());

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (e) {
    clearInterval(heartbeat);
    wss.close();
    throw e;
  }
  server.on('error', () => {});
  port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port, host, opts.allowRemote === true);
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : hostForUrl(host);

  return {
    url: `http://${shownHost}:${port}/#token=${token}`,
    port,
    host,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        clearInterval(heartbeat);
        for (const ws of wss.clients) ws.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** The request's URL, or null for a target URL cannot parse (e.g. "//"): never a throw in a handler. */
function parseRequestUrl(req: IncomingMessage): URL | null {
  try {
    return new URL(req.url ?? '/', 'http://localhost');
  } catch {
    return null;
  }
}
