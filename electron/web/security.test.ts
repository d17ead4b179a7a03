import { afterEach, describe, expect, it, vi } from 'vitest';

/**
 * The token comparison goes through the constant-time primitive with equal-length inputs whatever
 * the guess is (length, first wrong character): a timing measurement on two shared cores would be
 * noise, so the test checks what the time depends on instead.
 */

const calls = vi.hoisted(() => [] as [number, number][]);
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      calls.push([a.byteLength, b.byteLength]);
      return actual.timingSafeEqual(a, b);
    },
  };
});

const { newToken, tokenMatches } = await import('./security');

afterEach(() => {
  calls.length = 0;
});

describe('tokenMatches', () => {
  const token = newToken();

  it('accepts only the exact token', () => {
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(token, `${token} `)).toBe(false);
    expect(tokenMatches(token, token.toUpperCase())).toBe(false);
    expect(tokenMatches(token, '')).toBe(false);
    expect(tokenMatches(token, null)).toBe(false);
    expect(tokenMatches(token, 42)).toBe(false);
    // An empty expected token (a bug elsewhere) never matches, not even an empty guess.
    expect(tokenMatches('', '')).toBe(false);
  });

  it('compares in constant time: every guess goes through timingSafeEqual on 32 bytes', () => {
    const guesses = [
      token,
      `x${token.slice(1)}`, // wrong at the first character
      `${token.slice(0, -1)}x`, // wrong at the last
      'short',
      '',
      token.repeat(8), // much longer
    ];
    for (const guess of guesses) tokenMatches(token, guess);
    expect(calls).toEqual(guesses.map(() => [32, 32]));
  });
});
