/**
 * The browser mode's credential on the page side. `portscope serve` prints
 * `http://127.0.0.1:<port>/#token=<t>`: the fragment is never sent to any server (nor in a Referer).
 * The page moves it into sessionStorage, which the browser keeps per origin (scheme, host *and*
 * port, unlike cookies) and per tab, and drops it from the address bar and the history entry, so a
 * reload keeps working and nothing shows the token again. The WebSocket sends it as its first frame.
 */

/** The sessionStorage key. */
export const TOKEN_KEY = 'portscope.token';

/** What adoptUrlToken needs from `window` (a plain object in tests). */
export interface TokenHost {
  location: { pathname: string; search: string; hash: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
  sessionStorage: Pick<Storage, 'getItem' | 'setItem'>;
}

/** Kept in memory too, for a browser that refuses sessionStorage (it throws in some privacy modes). */
let inMemory: string | null = null;

/**
 * Take `token` out of the URL fragment: store it, then replace the address (path and query kept,
 * other fragment parameters kept) so it is no longer in the address bar or the history entry.
 * Without a token in the fragment nothing changes. Call before anything else runs. True when a
 * new token was stored.
 */
export function adoptUrlToken(host: TokenHost): boolean {
  const hash = host.location.hash.replace(/^#/, '');
  if (!hash) return false;
  const params = new URLSearchParams(hash);
  const token = params.get('token');
  if (token === null) return false;
  params.delete('token');
  const rest = params.toString();
  host.history.replaceState(
    host.history.state,
    '',
    `${host.location.pathname}${host.location.search}${rest ? `#${rest}` : ''}`,
  );
  if (!/^[A-Za-z0-9_-]{16,256}$/.test(token)) return false;
  inMemory = token;
  try {
    host.sessionStorage.setItem(TOKEN_KEY, token);
  } catch {
    // Storage disabled: this page load still works from memory; a reload needs the URL again.
  }
  return true;
}

/** The page's token, or null when it was opened without the printed URL (in this tab). */
export function sessionToken(storage: Pick<Storage, 'getItem'>): string | null {
  try {
    return storage.getItem(TOKEN_KEY) ?? inMemory;
  } catch {
    return inMemory;
  }
}
