import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, isLoopbackHost } from './page-security';

describe('page security rules', () => {
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

describe('CONTENT_SECURITY_POLICY', () => {
  it("allows nothing inline: no 'unsafe-inline' for scripts or styles, no hashes or nonces to widen it", () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline');
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/'(?:sha\d+|nonce)-/);
    const directive = (name: string) =>
      CONTENT_SECURITY_POLICY.split('; ').find((d) => d.startsWith(`${name} `));
    expect(directive('style-src')).toBe("style-src 'self'");
    expect(directive('script-src')).toBe("script-src 'self'");
  });
});
