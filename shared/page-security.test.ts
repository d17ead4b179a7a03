import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './page-security';

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
