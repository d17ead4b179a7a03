import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { WebPreferences } from 'electron';
import { CONTENT_SECURITY_POLICY, isLoopbackHost } from '../../shared/page-security';
import { parsePort } from '../../shared/validate';

/**
 * The security rules that need no Electron at runtime: the window preferences, the CSP, and the URL
 * predicates every navigation, IPC and openExternal decision uses. Pure so they are unit-tested here,
 * where no Electron binary exists. (Type-only import of 'electron': erased at build time.)
 */

/** Where our renderer lives: the built file, or the electron-vite dev server in development. */
export type RendererPage = { kind: 'file'; url: string } | { kind: 'dev'; url: string };

/** The CSP sent as a header for our pages (shared with the browser mode). */
export { CONTENT_SECURITY_POLICY };

// Checklist 3: "Enable Context Isolation" — the page never shares a JS world with the preload.
const isolateContext = (p: WebPreferences): WebPreferences => ({ ...p, contextIsolation: true });
// Checklist 4: "Enable process sandboxing" — the renderer runs in Chromium's OS sandbox.
const enableSandbox = (p: WebPreferences): WebPreferences => ({ ...p, sandbox: true });
// Checklist 2: "Do not enable Node.js integration for remote content" (nor for ours, nor in workers/frames).
const disableNodeIntegration = (p: WebPreferences): WebPreferences => ({
  ...p,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
});
// Checklist 6: "Do not disable webSecurity" — same-origin policy stays on.
const keepWebSecurity = (p: WebPreferences): WebPreferences => ({ ...p, webSecurity: true });
// Checklist 8 + 9: "Do not enable allowRunningInsecureContent", "Do not enable experimental features".
const blockInsecureContent = (p: WebPreferences): WebPreferences => ({
  ...p,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
});
// Checklist 12: "Verify WebView options before creation" — we use none, so the tag is off entirely.
const disableWebviewTag = (p: WebPreferences): WebPreferences => ({ ...p, webviewTag: false });

/** The webPreferences of every Portscope window: each checklist rule applied by its own function. */
export function secureWebPreferences(preload: string): WebPreferences {
  const rules = [
    isolateContext,
    enableSandbox,
    disableNodeIntegration,
    keepWebSecurity,
    blockInsecureContent,
    disableWebviewTag,
  ];
  return rules.reduce((prefs, rule) => rule(prefs), { preload, spellcheck: false } as WebPreferences);
}

/** The preference values the e2e spec (and anyone auditing a running app) expects on every webContents. */
export const EXPECTED_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
} as const;

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
 * A file page must be the exact index.html; a dev page must have the dev server's exact origin.
 */
export function isOwnPageUrl(url: unknown, page: RendererPage): boolean {
  const u = parseUrl(url);
  const own = parseUrl(page.url);
  if (!u || !own) return false;
  if (page.kind === 'file')
    return u.protocol === 'file:' && u.host === own.host && u.pathname === own.pathname;
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
 * Which page to load: electron-vite's dev server when ELECTRON_RENDERER_URL is an http(s) URL on
 * loopback, else the built file next to the main bundle (out/main → out/renderer/index.html).
 */
export function rendererPage(env: Record<string, string | undefined>, mainDir: string): RendererPage {
  const dev = parseUrl(env.ELECTRON_RENDERER_URL);
  if (dev && (dev.protocol === 'http:' || dev.protocol === 'https:') && isLoopbackHost(dev.hostname)) {
    return { kind: 'dev', url: dev.href };
  }
  return { kind: 'file', url: pathToFileURL(join(mainDir, '..', 'renderer', 'index.html')).href };
}

/** The page URL with a view selected, e.g. the quick view (`?view=quick`). */
export function pageUrl(page: RendererPage, params: Record<string, string> = {}): string {
  const u = new URL(page.url);
  for (const [k, v] of Object.entries(params)) u.searchParams.set(k, v);
  return u.href;
}
