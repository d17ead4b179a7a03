/**
 * Security rules both front doors apply to the page, written once: the Content-Security-Policy
 * (sent as a header by the Electron shell and by `portscope serve`; renderer/index.html carries the
 * same policy minus frame-ancestors, which a meta tag cannot set) and what counts as a loopback host.
 * Pure: no Node or DOM imports.
 */

/**
 * No unsafe-eval, no inline scripts or styles (no `<style>` element, no `style="…"` attribute; the
 * renderer sets dynamic sizes through CSSOM, which CSP does not govern), nothing framed, no plugins,
 * no form posts. `'self'` is the page's own origin: portscope://app in the desktop app, the loopback
 * http origin in browser mode.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const IPV4_LOOPBACK = /^127\.(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){2}(?:25[0-5]|2[0-4]\d|1?\d?\d)$/;

/**
 * A host name or address that can only mean this machine: `localhost`, 127.0.0.0/8, or ::1 (bare, as
 * a server binds it, or bracketed, as a URL's hostname spells it).
 */
export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || h === '[::1]' || IPV4_LOOPBACK.test(h);
}
