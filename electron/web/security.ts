import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { CONTENT_SECURITY_POLICY, isLoopbackHost } from '../../shared/page-security';

/**
 * The browser mode's security rules, each a small named function. The server is reachable by every
 * web page the user visits (they can all fetch 127.0.0.1), so every request must prove it came from
 * our own page (token/cookie), to our own name (Host), from our own origin (Origin).
 */

/** A fresh per-launch secret: 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Token comparison in constant time (timing attacks on the secret). */
export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (typeof given !== 'string') return false;
  const a = Buffer.from(expected, 'utf8');
  const b = Buffer.from(given, 'utf8');
  // timingSafeEqual needs equal lengths; compare against ourselves to keep the time flat anyway.
  if (a.length !== b.length) {
    timingSafeEqual(a, a);
    return false;
  }
  return timingSafeEqual(a, b);
}

/** Cookie name carries the port: cookies are shared across ports of one host, servers are not. */
export function cookieName(port: number): string {
  return `portscope_${port}`;
}

/** Read one cookie value from a Cookie header (no decoding: our token is URL-safe). */
export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return null;
}

/** The Set-Cookie value for the session: HttpOnly (no script reads it), SameSite=Strict (no cross-site sends). */
export function sessionCookie(port: number, token: string): string {
  return `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

/** Does the request carry our cookie? */
export function hasValidCookie(req: IncomingMessage, token: string, port: number): boolean {
  return tokenMatches(token, readCookie(req.headers.cookie, cookieName(port)));
}

export { isLoopbackHost };

/** Format a host for a URL / Host header (IPv6 in brackets). */
export function hostForUrl(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/**
 * The Host header values we answer to (DNS rebinding: a hostile name resolving to 127.0.0.1 must
 * get 403). Loopback names always; with --allow-remote also the bound address, or every local
 * interface address when bound to a wildcard.
 */
export function allowedHosts(port: number, boundHost: string, allowRemote: boolean): Set<string> {
  const names = ['127.0.0.1', 'localhost', '[::1]'];
  if (allowRemote && !isLoopbackHost(boundHost)) {
    if (boundHost === '0.0.0.0' || boundHost === '::') {
      for (const list of Object.values(networkInterfaces())) {
        for (const info of list ?? []) names.push(hostForUrl(info.address.split('%')[0] as string));
      }
    } else names.push(hostForUrl(boundHost));
  }
  return new Set(names.map((n) => `${n.toLowerCase()}:${port}`));
}

// A DNS name or IPv4 address, or a bracketed IPv6 address; then an optional port.
const WELL_FORMED_HOST =
  /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::[0-9]{1,5})?$/i;

/**
 * Why the request's Host is unusable, or null when there is exactly one well-formed Host header.
 * Node keeps only the first of repeated Host headers in req.headers, so a second one (meant for a
 * proxy or cache in between) would be silently ignored: headersDistinct shows them all.
 */
export function hostHeaderProblem(req: IncomingMessage): string | null {
  const hosts = req.headersDistinct.host;
  if (!hosts || hosts.length === 0) return 'missing Host header';
  if (hosts.length > 1) return 'more than one Host header';
  const host = hosts[0] as string;
  if (host.length > 260 || !WELL_FORMED_HOST.test(host)) return 'malformed Host header';
  return null;
}

/** Host header check (DNS rebinding). */
export function hostAllowed(req: IncomingMessage, allowed: Set<string>): boolean {
  const host = req.headers.host;
  return typeof host === 'string' && allowed.has(host.toLowerCase());
}

/** Our own origin as the browser states it: the scheme plus the Host the page was loaded from. */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  const host = req.headers.host;
  return (
    typeof origin === 'string' &&
    typeof host === 'string' &&
    origin.toLowerCase() === `http://${host.toLowerCase()}`
  );
}

/**
 * Response headers for every answer: a CSP at least as strict as the page's own meta CSP, no
 * sniffing, no referrer (the token never leaks in a Referer), no framing. Deliberately no CORS.
 */
export const SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** End a response with a plain-text status (never echoing request data). */
export function deny(res: ServerResponse, status: number, text: string): void {
  res.writeHead(status, {
    ...SECURITY_HEADERS,
    'Content-Type': 'text/plain; charset=utf-8',
    'Cache-Control': 'no-store',
  });
  res.end(`${text}\n`);
}
