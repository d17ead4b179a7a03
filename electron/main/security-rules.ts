import { join } from 'node:path';
import { CONTENT_SECURITY_POLICY, isLoopbackHost } from '../../shared/page-security';
import { parsePort } from '../../shared/validate';

/**
 * The security rules that need no Electron at runtime: the expected window preferences, the CSP, the URL
 * predicates every navigation, IPC and openExternal decision uses. Pure so they are unit-tested here,
 * where no Electron binary exists. (Type-only import of 'electron': erased at build time.)
 */

/**
 * Where our renderer lives: the built folder served on our own scheme (`root` is that folder), or the
 * electron-vite dev server in an unpackaged development run.
 */
export type RendererPage = { kind: 'app'; url: string; root: string } | { kind: 'dev'; url: string };

/** The privileged scheme the built renderer is served on (electron/main/app-protocol.ts). */
export const APP_SCHEME = 'portscope';
/** The one host of that scheme: the page is portscope://app/index.html, its origin portscope://app. */
export const APP_HOST = 'app';

/** The CSP sent as a header for our pages (shared with the browser mode). */
export { CONTENT_SECURITY_POLICY };

/**
 * The webPreferences every Portscope window must report (each is spelled out in windows.ts, where
 * Electronegativity can read it; index.test.ts proves both windows carry exactly these). DevTools are
 * on only in development: see devToolsAllowed().
 */
export const EXPECTED_PREFERENCES = {
  // Checklist 3: the page never shares a JS world with the preload.
  contextIsolation: true,
  // Checklist 4: the renderer runs in Chromium's OS sandbox.
  sandbox: true,
  // Checklist 2: no Node.js in the page, its workers or frames.
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  // Checklist 6: same-origin policy stays on.
  webSecurity: true,
  // Checklist 8: no http content in our page.
  allowRunningInsecureContent: false,
  // Checklist 12: we use no <webview>, so the tag is off entirely.
  webviewTag: false,
} as const;

/** DevTools (the webPreference and any menu item or accelerator) only in an unpackaged dev run. */
export function devToolsAllowed(packaged: boolean): boolean {
  return !packaged;
}

function parseUrl(text: unknown): URL | null {
  if (typeof text !== 'string' || text.length > 4096) return null;
  try {
    return new URL(text);
  } catch {
    return null;
  }
}

/**
 * True when `url` is one of our renderer pages (any query or hash: `?view=quick` is the quick view).
 * A built page must be exactly portscope://app/index.html (not file://, not another host of our
 * scheme); a dev page must have the dev server's exact origin (only ever set when not packaged).
 */
export function isOwnPageUrl(url: unknown, page: RendererPage): boolean {
  const u = parseUrl(url);
  const own = parseUrl(page.url);
  if (!u || !own) return false;
  if (page.kind === 'app')
    return (
      u.protocol === `${APP_SCHEME}:` &&
      u.host === APP_HOST &&
      u.username === '' &&
      u.password === '' &&
      u.port === '' &&
      u.pathname === own.pathname
    );
  return (u.protocol === 'http:' || u.protocol === 'https:') && u.origin === own.origin;
}

/**
 * The only URLs shell.openExternal may open: http://localhost:<port>/ or http://127.0.0.1:<port>/ with
 * a port that passes shared/validate.ts. Returns the URL rebuilt from the validated parts, else null.
 * Credentials, other schemes, other hosts and anything after the path root are refused.
 */
export function allowedExternalUrl(url: unknown): string | null {
  // Matched on the raw text, not a parsed URL: the WHATWG parser would quietly turn 0x7f.1 or
  // 2130706433 into 127.0.0.1, and we want to open only what the user plainly sees.
  if (typeof url !== 'string') return null;
  const m = EXTERNAL_URL.exec(url);
  const port = m ? parsePort(m[2]) : null;
  return m && port !== null ? `http://${m[1]}:${port}/` : null;
}

const EXTERNAL_URL = /^http:\/\/(localhost|127\.0\.0\.1):(\d{1,5})\/?$/;

/**
 * Which page to load. A packaged app always loads its own built renderer (out/main → out/renderer,
 * served as portscope://app/index.html) and ignores ELECTRON_RENDERER_URL: anyone who can set an
 * environment variable must not be able to point the app, and so its IPC, at their own page. Only an
 * unpackaged development run uses electron-vite's dev server, and only an http(s) one on loopback.
 */
export function rendererPage(
  env: Record<string, string | undefined>,
  mainDir: string,
  packaged: boolean,
): RendererPage {
  const dev = packaged ? null : parseUrl(env.ELECTRON_RENDERER_URL);
  if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && isLoopbackHost(dev.hostname)) {
    return { kind: 'dev', url: dev.href };
  }
  return {
    kind: 'app',
    url: `${APP_SCHEME}://${APP_HOST}/index.html`,
    root: join(mainDir, '..', 'renderer'),
  };
}

/** The page URL with a view selected, e.g. the quick view (`?view=quick`). */
export function pageUrl(page: RendererPage, params: Record<string, string> = {}): string {
  const u = new URL(page.url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}
