import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isIP } from 'node:net';
import { networkInterfaces } from 'node:os';
import { CONTENT_SECURITY_POLICY, isLoopbackHost } from '../../shared/page-security';

/**
 * The browser mode's security rules, each a small named function. The server is reachable by every
 * web page the user visits (they can all fetch 127.0.0.1) and by every local process, so: every
 * request names our own host (Host); the socket comes from our own origin (Origin) and proves it
 * holds the token in its first frame before anything is served (ws-auth.ts). Pages and assets carry
 * no secret, so they need no token; there is no cookie at all, because browsers send cookies to
 * every port of a host, including another user's server on 127.0.0.1.
 */

/** A fresh per-launch secret: 256 random bits, URL-safe. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/**
 * Token comparison in constant time (timing attacks on the secret). Both sides are hashed first, so
 * timingSafeEqual always compares 32 bytes: neither the position of the first wrong character nor
 * the length of the guess shows in the time taken.
 */
export function tokenMatches(expected: string, given: unknown): boolean {
  if (typeof given !== 'string') return false;
  const a = createHash('sha256').update(expected, 'utf8').digest();
  const b = createHash('sha256').update(given, 'utf8').digest();
  return timingSafeEqual(a, b) && expected.length > 0;
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
 * sniffing, no referrer (nothing about the page leaks in a Referer; the token, in the fragment, never
 * would), no framing. Deliberately no CORS.
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
