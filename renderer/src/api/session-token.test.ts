import { describe, expect, it } from 'vitest';
import { adoptUrlToken, sessionToken, TOKEN_KEY, type TokenHost } from './session-token';

/** The page's half of the login: fragment → sessionStorage, address bar cleaned. */

function host(path: string, search: string, hash: string) {
  const store = new Map<string, string>();
  const replaced: string[] = [];
  const h: TokenHost = {
    location: { pathname: path, search, hash },
    history: { state: { keep: 1 }, replaceState: (_d, _u, url) => replaced.push(url ?? '') },
    sessionStorage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => store.set(k, v) },
  };
  return { h, store, replaced };
}

const TOKEN = 'AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde';

describe('adoptUrlToken', () => {
  it('moves the fragment token into sessionStorage and drops it from the address, keeping the rest', () => {
    const { h, store, replaced } = host('/', '?view=quick', `#token=${TOKEN}`);
    expect(adoptUrlToken(h)).toBe(true);
    expect(store.get(TOKEN_KEY)).toBe(TOKEN);
    expect(replaced).toEqual(['/?view=quick']);
    expect(sessionToken(h.sessionStorage)).toBe(TOKEN);
  });

  it('keeps other fragment parameters', () => {
    const { h, replaced } = host('/', '', `#a=1&token=${TOKEN}`);
    adoptUrlToken(h);
    expect(replaced).toEqual(['/#a=1']);
  });

  it('leaves an address without a token alone and keeps the stored token (a reload)', () => {
    const { h, store, replaced } = host('/', '', '');
    store.set(TOKEN_KEY, TOKEN);
    expect(adoptUrlToken(h)).toBe(false);
    expect(adoptUrlToken({ ...h, location: { ...h.location, hash: '#section' } })).toBe(false);
    expect(replaced).toEqual([]);
    expect(sessionToken(h.sessionStorage)).toBe(TOKEN);
  });

  it('removes a malformed token from the address without storing it', () => {
    const { h, store, replaced } = host('/', '', '#token=<script>');
    expect(adoptUrlToken(h)).toBe(false);
    expect(replaced).toEqual(['/']);
    expect(store.has(TOKEN_KEY)).toBe(false);
  });

  it('a newer URL replaces the stored token (the server was restarted)', () => {
    const { h, store } = host('/', '', `#token=${TOKEN}`);
    store.set(TOKEN_KEY, 'old-token-old-token-old');
    adoptUrlToken(h);
    expect(store.get(TOKEN_KEY)).toBe(TOKEN);
  });
});
