import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allowedExternalUrl,
  CONTENT_SECURITY_POLICY,
  devToolsAllowed,
  EXPECTED_PREFERENCES,
  isOwnPageUrl,
  pageUrl,
  rendererPage,
} from './security-rules';

describe('EXPECTED_PREFERENCES / devToolsAllowed', () => {
  it('names every checklist preference; DevTools only when not packaged', () => {
    expect(EXPECTED_PREFERENCES).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
    });
    expect(devToolsAllowed(true)).toBe(false);
    expect(devToolsAllowed(false)).toBe(true);
  });
});

describe('CONTENT_SECURITY_POLICY', () => {
  it('the page’s meta CSP is the shared policy minus frame-ancestors (which a meta tag cannot set)', () => {
    const html = readFileSync(join(__dirname, '..', '..', 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(
      CONTENT_SECURITY_POLICY.split('; ')
        .filter((d) => !d.startsWith('frame-ancestors'))
        .join('; '),
    );
  });

  it('allows no eval, no inline script, no framing, no plugins', () => {
    const script = CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith('script-src'));
    expect(script).toBe("script-src 'self'");
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).toContain("frame-ancestors 'none'");
    expect(CONTENT_SECURITY_POLICY).toContain("object-src 'none'");
  });
});

describe('allowedExternalUrl', () => {
  it.each([
    ['http://localhost:3000', 'http://localhost:3000/'],
    ['http://localhost:3000/', 'http://localhost:3000/'],
    ['http://127.0.0.1:65535/', 'http://127.0.0.1:65535/'],
    ['http://127.0.0.1:1', 'http://127.0.0.1:1/'],
    ['http://localhost:80/', 'http://localhost:80/'],
  ])('allows %s', (input, out) => {
    expect(allowedExternalUrl(input)).toBe(out);
  });

  it.each([
    'https://localhost:3000/',
    'http://localhost/',
    'http://2130706433:3000/', // decimal IP: the parser would turn it into 127.0.0.1
    'http://127.1:3000/',
    'http://localhost:3000\n/',
    ' http://localhost:3000/',
    'http://localhost:0/',
    'http://localhost:65536/',
    'http://evil.com:3000/',
    'http://localhost.evil.com:3000/',
    'http://user:pw@localhost:3000/',
    'http://localhost:3000/path',
    'http://localhost:3000/?q=1',
    'http://localhost:3000/#x',
    'http://[::1]:3000/',
    'http://0x7f.0.0.1:3000/',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'smb://localhost:3000/',
    'not a url',
    '',
    42,
    null,
  ])('refuses %s', (input) => {
    expect(allowedExternalUrl(input)).toBeNull();
  });
});

describe('rendererPage / isOwnPageUrl', () => {
  const mainDir = '/opt/Portscope/resources/app.asar/out/main';
  const app = rendererPage({}, mainDir, true);

  it('serves the built renderer folder next to out/main on portscope://app, not file://', () => {
    expect(app).toEqual({
      kind: 'app',
      url: 'portscope://app/index.html',
      root: '/opt/Portscope/resources/app.asar/out/renderer',
    });
    expect(rendererPage({}, mainDir, false)).toEqual(app);
  });

  it('a packaged app ignores ELECTRON_RENDERER_URL, even a loopback one', () => {
    for (const url of ['http://localhost:5173', 'http://127.0.0.1:8080/', 'https://localhost/']) {
      expect(rendererPage({ ELECTRON_RENDERER_URL: url }, mainDir, true)).toEqual(app);
    }
  });

  it('an unpackaged run uses a loopback dev server, never another host', () => {
    const dev = (url: string) => rendererPage({ ELECTRON_RENDERER_URL: url }, '/x/out/main', false).kind;
    expect(dev('http://localhost:5173')).toBe('dev');
    expect(dev('http://evil.com:5173')).toBe('app');
    expect(dev('file:///tmp/x.html')).toBe('app');
  });

  it('recognises our page on our scheme with any view parameters, and nothing else', () => {
    expect(isOwnPageUrl(app.url, app)).toBe(true);
    expect(isOwnPageUrl(pageUrl(app, { view: 'quick' }), app)).toBe(true);
    for (const url of [
      'portscope://app/other.html',
      'portscope://evil/index.html',
      'portscope://app:1/index.html',
      'portscope://u:p@app/index.html',
      'file:///opt/Portscope/resources/app.asar/out/renderer/index.html',
      'file:///tmp/index.html',
      'http://localhost:5173/',
      'http://app/index.html',
      'https://app/index.html',
    ]) {
      expect(isOwnPageUrl(url, app), url).toBe(false);
    }
    expect(isOwnPageUrl(undefined, app)).toBe(false);
  });

  it('recognises the dev server by exact origin', () => {
    const dev = rendererPage({ ELECTRON_RENDERER_URL: 'http://localhost:5173/' }, '/x', false);
    expect(isOwnPageUrl('http://localhost:5173/?view=quick', dev)).toBe(true);
    expect(isOwnPageUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isOwnPageUrl('http://127.0.0.1:5173/', dev)).toBe(false);
    expect(isOwnPageUrl('portscope://app/index.html', dev)).toBe(false);
  });
});
