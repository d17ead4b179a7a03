import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isLoopbackHost } from './page-security';

describe('page security rules', () => {
  it('the page’s meta CSP is the shared policy minus frame-ancestors (which a meta tag cannot set)', () => {
    const html = readFileSync(join(__dirname, '..', 'renderer', 'index.html'), 'utf8');
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)?.[1];
    expect(meta).toBe(
      CONTENT_SECURITY_POLICY.split('; ')
        .filter((d) => !d.startsWith('frame-ancestors'))
        .join('; '),
    );
  });

  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['127.1.2.3', true],
    ['::1', true],
    ['[::1]', true],
    ['127.0.0.256', false],
    ['127.0.0.1.evil.com', false],
    ['localhost.evil.com', false],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.2', false],
  ])('%s is loopback: %s', (host, loopback) => {
    expect(isLoopbackHost(host)).toBe(loopback);
  });
});
