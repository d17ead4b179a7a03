import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  allowedExternalUrl,
  CONTENT_SECURITY_POLICY,
  EXPECTED_PREFERENCES,
  isOwnPageUrl,
  pageUrl,
  rendererPage,
  secureWebPreferences,
} from './security-rules';

describe('secureWebPreferences', () => {
  it('applies every checklist preference and keeps the preload path', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject(EXPECTED_PREFERENCES);
    expect(prefs.preload).toBe('/app/out/preload/index.cjs');
    expect(prefs.experimentalFeatures).toBe(false);
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
  const file = rendererPage({}, '/opt/Portscope/resources/app.asar/out/main');

  it('uses the built file next to out/main when no dev server is set', () => {
    expect(file).toEqual({
      kind: 'file',
      url: 'file:///opt/Portscope/resources/app.asar/out/renderer/index.html',
    });
  });

  it('uses a loopback dev server, never another host', () => {
    expect(rendererPage({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, '/x/out/main').kind).toBe('dev');
    expect(rendererPage({ ELECTRON_RENDERER_URL: 'http://evil.com:5173' }, '/x/out/main').kind).toBe('file');
    expect(rendererPage({ ELECTRON_RENDERER_URL: 'file:///tmp/x.html' }, '/x/out/main').kind).toBe('file');
  });

  it('recognises our file page with any view parameters, and nothing else', () => {
    expect(isOwnPageUrl(file.url, file)).toBe(true);
    expect(isOwnPageUrl(pageUrl(file, { view: 'quick' }), file)).toBe(true);
    expect(isOwnPageUrl('file:///opt/Portscope/resources/app.asar/out/renderer/other.html', file)).toBe(
      false,
    );
    expect(isOwnPageUrl('file:///tmp/index.html', file)).toBe(false);
    expect(isOwnPageUrl('http://localhost:5173/', file)).toBe(false);
    expect(isOwnPageUrl(undefined, file)).toBe(false);
  });

  it('recognises the dev server by exact origin', () => {
    const dev = rendererPage({ ELECTRON_RENDERER_URL: 'http://localhost:5173/' }, '/x');
    expect(isOwnPageUrl('http://localhost:5173/?view=quick', dev)).toBe(true);
    expect(isOwnPageUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isOwnPageUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });
});
