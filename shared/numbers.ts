/**
 * Parsers for the integers that reach a signal or a socket, without zod: the CLI's `list`, `who`
 * and `kill` load this and never the validation library (~100 ms to require). The zod schemas for
 * the same ranges stay in validate.ts, which re-exports these. Text is accepted only when it is
 * plain decimal digits (no sign, no spaces, no hex, no exponent) and in range: never parseInt alone.
 */

const DIGITS = /^\d{1,10}$/;

/** Largest PID any supported OS hands out (Linux pid_max ceiling is 2^22). */
export const MAX_PID = 4_194_304 * 1024;

/** Parse a decimal integer from text; null for anything that is not plain digits within [min, max]. */
export function parseStrictInt(text: unknown, min: number, max: number): number | null {
  if (typeof text !== 'string' || !DIGITS.test(text)) return null;
  const n = Number(text);
  return Number.isSafeInteger(n) && n >= min && n <= max ? n : null;
}

/** Parse a port from text ("3000" or ":3000"); null when invalid. */
export function parsePort(text: unknown): number | null {
  if (typeof text !== 'string') return null;
  return parseStrictInt(text.startsWith(':') ? text.slice(1) : text, 1, 65535);
}

/** Parse a PID from text; null when invalid (0, negatives, hex, spaces, exponents…). */
export function parsePid(text: unknown): number | null {
  return parseStrictInt(text, 1, MAX_PID);
}
