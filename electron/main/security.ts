import { type Session, shell, type WebContents } from 'electron';
import {
  allowedExternalUrl,
  CONTENT_SECURITY_POLICY,
  isOwnPageUrl,
  type RendererPage,
} from './security-rules';

/**
 * The runtime half of Electron's security checklist, one small named function per rule. The window
 * preferences half is the one webPreferences literal in windows.ts (checked against
 * EXPECTED_PREFERENCES); checklist 18 (no file://) is app-protocol.ts. All of these are applied to every
 * webContents the app ever creates (app 'web-contents-created'), not only the ones we expect.
 */

// Checklist 12: "Verify WebView options before creation" — we use no <webview>, so none may attach.
export function preventWebviewAttach(contents: WebContents): void {
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

// Checklist 13: "Disable or limit navigation" — the renderer is a single page; it never navigates.
export function denyNavigation(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
}

// Checklist 14: "Disable or limit creation of new windows" — window.open and target=_blank are denied;
// a loopback http://localhost:<port> link is handed to the user's browser instead.
export function denyNewWindows(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafely(url);
    return { action: 'deny' };
  });
}

// Checklist 15: "Do not use shell.openExternal with untrusted content" — only http://localhost or
// 127.0.0.1 with a validated port, rebuilt from its parts.
export async function openExternalSafely(url: string): Promise<boolean> {
  const safe = allowedExternalUrl(url);
  if (!safe) return false;
  await shell.openExternal(safe);
  return true;
}

// Checklist 5: "Handle session permission requests from remote content" — Portscope needs no camera,
// notifications-from-page, geolocation… so every request and check is denied. One exception:
// the sanitized clipboard *write* from our own page (Copy row / Copy address); it cannot read.
export function denyPermissions(session: Session, page: RendererPage): void {
  session.setPermissionRequestHandler((contents, permission, callback) => {
    callback(permission === 'clipboard-sanitized-write' && isOwnPageUrl(contents.getURL(), page));
  });
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) => {
    const url = details.requestingUrl ?? requestingOrigin;
    return permission === 'clipboard-sanitized-write' && isOwnPageUrl(url, page);
  });
}

// Checklist 7: "Define a Content Security Policy" — as a response header for our pages that come over
// http (the dev server). The built page on portscope://app gets the same header from its protocol
// handler (app-files.ts); the meta tag in renderer/index.html carries it too, minus frame-ancestors.
export function setContentSecurityPolicy(session: Session, page: RendererPage): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isOwnPageUrl(details.url, page)) {
      callback({});
      return;
    }
    const headers = { ...details.responseHeaders };
    for (const name of Object.keys(headers)) {
      if (name.toLowerCase() === 'content-security-policy') delete headers[name];
    }
    headers['Content-Security-Policy'] = [CONTENT_SECURITY_POLICY];
    callback({ responseHeaders: headers });
  });
}

/** Apply every per-webContents rule. Called for each webContents the app creates. */
export function hardenWebContents(contents: WebContents): void {
  preventWebviewAttach(contents);
  denyNavigation(contents);
  denyNewWindows(contents);
}

/** Apply every per-session rule to the session our windows use. */
export function hardenSession(session: Session, page: RendererPage): void {
  denyPermissions(session, page);
  setContentSecurityPolicy(session, page);
}
