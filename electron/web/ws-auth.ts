import type { RawData, WebSocket } from 'ws';
import { WS_CLOSE, wsAuthMessage } from '../../shared/contract';

/**
 * The browser mode's one credential check: the first frame on a new socket must be
 * `{type:'auth', token}` with this server's token. Until then nothing is served and no push is
 * sent; anything else first, a wrong token or silence past the time limit closes the socket with a
 * code the page can read (WS_CLOSE).
 *
 * Why a first frame and not a `Sec-WebSocket-Protocol` value: a refused upgrade reaches a page only
 * as close code 1006, the same as a server that is down, so the page could not tell "session ended,
 * open the new URL" from "retry later" without another HTTP route; a close after the first frame
 * carries our code and reason. And the token stays out of request headers, which proxies, server
 * logs and devtools' header views keep (a frame body is not logged by anything on the way).
 */

export interface AuthOptions {
  /** True when `token` is this server's token (compared in constant time: security.ts tokenMatches). */
  authenticate(token: string): boolean;
  /** How long a new socket may stay silent before it is closed (default 10 s). */
  timeoutMs?: number;
}

export const DEFAULT_AUTH_TIMEOUT_MS = 10_000;

/**
 * Wait for the auth frame on a freshly accepted socket; `onAuthenticated` runs synchronously in the
 * handler of that frame, so a request sent right behind it in the same packet is already handled by
 * whatever `onAuthenticated` attached.
 */
export function requireAuth(ws: WebSocket, opts: AuthOptions, onAuthenticated: () => void): void {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_AUTH_TIMEOUT_MS;
  const refuse = (code: number, reason: string) => {
    ws.off('message', onFirst);
    clearTimeout(timer);
    ws.close(code, reason);
  };
  const timer = setTimeout(
    () => refuse(WS_CLOSE.authTimeout, `no auth message within ${timeoutMs / 1000} s`),
    timeoutMs,
  );
  const onFirst = (data: RawData, isBinary: boolean) => {
    const token = isBinary ? null : authToken(data);
    // The reasons never echo what the client sent (it may be a token of another session).
    if (token === null) return refuse(WS_CLOSE.authRequired, 'the first message must be an auth message');
    if (!opts.authenticate(token))
      return refuse(WS_CLOSE.authRefused, 'session ended: open the URL printed by portscope serve');
    ws.off('message', onFirst);
    clearTimeout(timer);
    ws.send(JSON.stringify({ type: 'auth', ok: true }));
    onAuthenticated();
  };
  ws.on('message', onFirst);
  ws.once('close', () => clearTimeout(timer));
  // A bad or oversize frame before auth emits 'error': without a listener it would crash the server.
  ws.on('error', () => ws.terminate());
}

/** The token of a well-formed auth frame, or null for anything else. */
function authToken(data: RawData): string | null {
  let json: unknown;
  try {
    json = JSON.parse(data.toString());
  } catch {
    return null;
  }
  const parsed = wsAuthMessage.safeParse(json);
  return parsed.success ? parsed.data.token : null;
}
