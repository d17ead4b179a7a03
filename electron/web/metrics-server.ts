import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type AddressInfo, isIP } from 'node:net';
import { parseStrictInt } from '../../shared/validate';
import { limitConnections } from './limits';
import { MetricsConfigError } from './metrics-token';
import {
  allowedHosts,
  deny,
  hostAllowed,
  hostForUrl,
  hostHeaderProblem,
  isLoopbackHost,
  SECURITY_HEADERS,
  tokenMatches,
} from './security';

/**
 * The metrics exporter's own HTTP listener, apart from the UI's server (its own port, its own
 * rules): read-only, GET/HEAD of /metrics (and / saying where they are), nothing that changes
 * anything. Loopback by default, where the Host header must name loopback (DNS rebinding: a page
 * on a hostile name resolving to 127.0.0.1 must not read the body). Any other address needs a
 * bearer token (`Authorization: Bearer …`, compared in constant time); then the token, which a
 * rebinding page cannot know, is the guard, and Prometheus may use any name for this host.
 */

export { MetricsConfigError } from './metrics-token';

export interface MetricsServerOptions {
  /** Produces one scrape: Prometheus text format and its content type. */
  render(): Promise<{ contentType: string; body: string }>;
  host: string;
  port: number;
  /** Required for a non-loopback host; when given on loopback it is required there too. */
  token?: string | null;
  /** Open HTTP connections allowed (default 16: a few Prometheus servers and a curl). */
  maxConnections?: number;
}

export interface MetricsServer {
  /** http://host:port/metrics */
  url: string;
  host: string;
  port: number;
  close(): Promise<void>;
}

/**
 * `HOST:PORT` (IPv6 in brackets, `localhost` = 127.0.0.1) → the address to bind.
 * Throws MetricsConfigError for anything else.
 */
export function parseListenAddress(text: string): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(text);
  const port = m ? parseStrictInt(m[3] as string, 0, 65535) : null;
  const raw = m ? (m[1] ?? m[2] ?? '') : '';
  const host = raw === 'localhost' ? '127.0.0.1' : raw;
  if (!m || port === null || isIP(host) === 0 || (m[1] !== undefined && isIP(host) !== 6)) {
    throw new MetricsConfigError(
      `bad listen address '${text.slice(0, 80)}' (HOST:PORT, e.g. 127.0.0.1:9798 or [::1]:9798)`,
    );
  }
  return { host, port };
}

/** The bearer token a request carries, or null (none, malformed, or more than one header). */
function bearerOf(req: IncomingMessage): string | null {
  const all = req.headersDistinct.authorization;
  if (all?.length !== 1) return null;
  const m = /^Bearer +(\S+) *$/i.exec(all[0] as string);
  return m ? (m[1] as string) : null;
}

const INDEX = 'Portscope metrics exporter. Prometheus text format at /metrics (GET).\n';

/** Throws MetricsConfigError when `host` is beyond loopback and no token guards it. */
export function checkExposure(host: string, token: string | null): void {
  if (!isLoopbackHost(host) && !token) {
    throw new MetricsConfigError(
      `refusing to serve metrics on non-loopback address ${host} without --token-file`,
    );
  }
}

/** Start the exporter's listener; resolves once it listens. */
export async function startMetricsServer(opts: MetricsServerOptions): Promise<MetricsServer> {
  const token = opts.token ?? null;
  const loopback = isLoopbackHost(opts.host);
  checkExposure(opts.host, token);
  let hosts = new Set<string>();

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if (hostHeaderProblem(req)) return deny(res, 400, 'Bad request: one well-formed Host header is required');
    if (loopback && !hostAllowed(req, hosts)) return deny(res, 403, 'Forbidden: unexpected Host header');
    // Before anything else is said: without the token a client learns only that one is needed.
    if (token && !tokenMatches(token, bearerOf(req))) {
      res.setHeader('WWW-Authenticate', 'Bearer realm="portscope"');
      return deny(res, 401, 'Unauthorized: a bearer token is required');
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.setHeader('Allow', 'GET, HEAD');
      return deny(res, 405, 'Method not allowed: this exporter is read-only');
    }
    const path = (req.url ?? '').split('?', 1)[0];
    if (path === '/') return send(res, 200, 'text/plain; charset=utf-8', INDEX);
    if (path !== '/metrics') return deny(res, 404, 'Not found');
    opts.render().then(
      ({ contentType, body }) => send(res, 200, contentType, body),
      () => deny(res, 500, 'Internal error'),
    );
  };

  const server = createServer(onRequest);
  // Slow or idle clients must not hold a place: a scrape is one small request.
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  limitConnections(server, { http: opts.maxConnections ?? 16, ws: 0 });
  server.on('clientError', (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', () => {});
  const port = (server.address() as AddressInfo).port;
  hosts = allowedHosts(port, opts.host, false);
  const shown = opts.host === '0.0.0.0' || opts.host === '::' ? '127.0.0.1' : hostForUrl(opts.host);
  return {
    url: `http://${shown}:${port}/metrics`,
    host: opts.host,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': contentType,
    'Cache-Control': 'no-store',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
}
