import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../shared/page-security';
import { appFilePath, serveAppFile } from './app-files';

// A real renderer folder on disk, with a secret beside it and links pointing out of it.
const scratch = mkdtempSync(join(tmpdir(), 'portscope-app-files-'));
const root = join(scratch, 'renderer');

beforeAll(() => {
  mkdirSync(join(root, 'assets'), { recursive: true });
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Portscope</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'export {};');
  writeFileSync(join(root, 'assets', 'index-abc.css'), 'body{}');
  writeFileSync(join(root, 'assets', 'logo.svg'), '<svg/>');
  writeFileSync(join(root, 'assets', 'notes.txt'), 'unknown type');
  writeFileSync(join(scratch, 'secret.js'), 'the key');
  symlinkSync(join(scratch, 'secret.js'), join(root, 'assets', 'link-out.js'));
  symlinkSync(scratch, join(root, 'up'));
  symlinkSync(join(root, 'assets', 'index-abc.js'), join(root, 'assets', 'link-in.js'));
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const get = (url: string, method = 'GET') => serveAppFile(new Request(url, { method }), root);

describe('serveAppFile (the portscope:// scheme)', () => {
  it('serves index.html (also for /) with its type, nosniff and the CSP', async () => {
    for (const url of [
      'portscope://app/index.html',
      'portscope://app/',
      'portscope://app/index.html?view=quick',
    ]) {
      const res = await get(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).toContain('<title>Portscope</title>');
    }
  });

  it.each([
    ['assets/index-abc.js', 'text/javascript; charset=utf-8', 'export {};'],
    ['assets/index-abc.css', 'text/css; charset=utf-8', 'body{}'],
    ['assets/logo.svg', 'image/svg+xml', '<svg/>'],
    ['assets/link-in.js', 'text/javascript; charset=utf-8', 'export {};'],
  ])('serves %s as %s', async (path, type, body) => {
    const res = await get(`portscope://app/${path}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
    expect(await res.text()).toBe(body);
  });

  it.each([
    'portscope://app/../secret.js',
    'portscope://app/assets/../../secret.js',
    'portscope://app/%2e%2e/secret.js',
    'portscope://app/..%2fsecret.js',
    'portscope://app/assets/..%2f..%2fsecret.js',
    'portscope://app/%252e%252e/secret.js',
    'portscope://app/..%5csecret.js',
    'portscope://app/assets%2f..%2f..%2fsecret.js',
    'portscope://app/index.html%00.js',
    'portscope://app/%E0%A4%A',
    'portscope://app//etc/passwd',
    'portscope://app/assets/link-out.js',
    'portscope://app/up/secret.js',
    'portscope://app/assets',
    'portscope://app/assets/notes.txt',
    'portscope://app/missing.js',
    'portscope://other/index.html',
    'portscope://app:8080/index.html',
    'file:///etc/passwd',
  ])('refuses %s', async (url) => {
    const res = await get(url);
    expect(res.status).toBe(404);
    expect(await res.text()).not.toContain('the key');
  });

  it('answers HEAD without a body and refuses other methods', async () => {
    const head = await get('portscope://app/index.html', 'HEAD');
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    expect((await get('portscope://app/index.html', 'POST')).status).toBe(405);
  });

  it('appFilePath keeps every answer inside the root', () => {
    expect(appFilePath('portscope://app/assets/index-abc.js', root)).toBe(
      join(root, 'assets', 'index-abc.js'),
    );
    expect(appFilePath('portscope://app/..%2f..%2fetc/passwd', root)).toBeNull();
    expect(appFilePath('not a url', root)).toBeNull();
  });
});
