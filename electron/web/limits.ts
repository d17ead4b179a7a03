import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';

/**
 * Global caps on the browser-mode server's connections. Per-connection limits (message size, rate,
 * heartbeat) live in ws-session.ts; these bound how many connections there are at all, so a local
 * client opening thousands of sockets cannot exhaust file descriptors or memory. Over a cap the
 * newcomer is told why and closed; connections already open are untouched.
 */

export interface ConnectionCaps {
  /** Open HTTP connections (keep-alive ones included; upgraded ones move to `ws`). */
  http: number;
  /** Open WebSocket connections. */
  ws: number;
}

/** A browser keeps about 6 HTTP connections per host and one WebSocket per tab. */
export const DEFAULT_CONNECTION_CAPS: ConnectionCaps = { http: 64, ws: 64 };

/** WebSocket close code 1013 "Try Again Later" (RFC 6455 registry): the server is at capacity. */
export const WS_TRY_AGAIN_LATER = 1013;

/** How long a refused connection stays open for the client to read the 503 (then destroyed). */
const REFUSED_LINGER_MS = 2_000;

const BUSY_TEXT = 'Service unavailable: too many open connections\n';
const BUSY_RESPONSE =
  'HTTP/1.1 503 Service Unavailable\r\n' +
  'Connection: close\r\n' +
  'Retry-After: 5\r\n' +
  'Content-Type: text/plain; charset=utf-8\r\n' +
  `Content-Length: ${Buffer.byteLength(BUSY_TEXT)}\r\n` +
  '\r\n' +
  BUSY_TEXT;

export interface ConnectionLimiter {
  /** Open HTTP connections now (tests, health). */
  httpCount(): number;
  /**
   * Call with a freshly upgraded WebSocket and the server's client count (it included): over the
   * cap it is closed with 1013 "try again later" and true is returned (do not attach a session).
   */
  refuseWebSocket(ws: WebSocket, clients: number): boolean;
}

/** Count the server's HTTP connections and refuse those over the cap with 503 + Connection: close. */
export function limitConnections(
  server: Server,
  caps: ConnectionCaps = DEFAULT_CONNECTION_CAPS,
): ConnectionLimiter {
  const open = new Set<Socket>();
  // Before Node's own listener, so a refused socket is never counted or served first.
  server.prependListener('connection', (socket: Socket) => {
    if (open.size >= caps.http) {
      socket.on('error', () => socket.destroy());
      // Whatever request arrives is answered by this and nothing else: the socket's write side is shut.
      socket.end(BUSY_RESPONSE);
      // A client that never closes its side must not keep the descriptor: time to read, then gone.
      const linger = setTimeout(() => socket.destroy(), REFUSED_LINGER_MS);
      linger.unref();
      socket.once('close', () => clearTimeout(linger));
      return;
    }
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  // An upgraded connection is a WebSocket from now on: it counts against the WebSocket cap.
  server.on('upgrade', (_req, socket: Socket) => open.delete(socket));
  return {
    httpCount: () => open.size,
    refuseWebSocket(ws, clients) {
      if (clients <= caps.ws) return false;
      ws.close(WS_TRY_AGAIN_LATER, 'try again later');
      return true;
    },
  };
}
