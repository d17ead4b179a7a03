/**
 * Text helpers for terminal output. Process names and command lines are hostile input (any user
 * can name a process "\x1b]52;c;…" or give it an RTL override): nothing from a row reaches the
 * terminal without `safeText`.
 */

import { isUnsafeChar } from '../../shared/socket-rules';

/** Replace every control or bidi-override character with '?', as `ls -q` does (the one shared rule). */
export { safeText } from '../../shared/socket-rules';

/** True for code points a terminal draws two cells wide (CJK, Hangul, full-width forms, emoji). */
function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

/** True for combining marks and zero-width characters, which take no cell. */
function isZeroWidth(cp: number): boolean {
  return (cp >= 0x0300 && cp <= 0x036f) || cp === 0x200b || cp === 0x200c || cp === 0x200d || cp === 0xfeff;
}

/** Only code points below the first combining mark (U+0300): each takes exactly one cell. */
// biome-ignore lint/suspicious/noMisleadingCharacterClass: a range of UTF-16 units (U+0300 up), tested per unit; no character is composed here
const NARROW_ONLY = /^[^\u0300-\uffff]*$/;

/** Cells a (safe) string takes in a terminal: wide characters count two, combining marks zero. */
export function displayWidth(text: string): number {
  // Below U+0300 nothing is wide or zero-width: one cell per UTF-16 unit. Nearly every cell of a
  // table (ports, addresses, ASCII names) takes this path; it was ~20 ms of a 1,000-row `list`.
  if (NARROW_ONLY.test(text)) return text.length;
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    width += isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1;
  }
  return width;
}

/** Cut a string to at most `max` cells, ending with '…' when something was cut. */
export function truncate(text: string, max: number): string {
  if (displayWidth(text) <= max) return text;
  if (max <= 0) return '';
  if (NARROW_ONLY.test(text)) return `${text.slice(0, max - 1)}…`;
  let out = '';
  let width = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const w = isZeroWidth(cp) ? 0 : isWide(cp) ? 2 : 1;
    if (width + w > max - 1) break;
    out += ch;
    width += w;
  }
  return `${out}…`;
}

/** Pad to `width` cells (left-aligned, or right-aligned for numbers). */
export function pad(text: string, width: number, align: 'left' | 'right' = 'left'): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(text)));
  return align === 'right' ? fill + text : text + fill;
}

// JSON.stringify escapes C0 controls but passes C1 controls, line/paragraph separators and bidi
// marks through raw; some terminals act on 8-bit C1 (CSI = U+009B). Inside JSON they can only
// occur within strings, so escaping them keeps the document identical to a parser. The list is
// safeText's (isUnsafeChar); C0 is left to JSON.stringify, whose own newlines must stay.
// A superset pre-filter (everything past ASCII); isUnsafeChar decides.
const JSON_CANDIDATES = /[\u007f-\uffff]/g;

/** JSON text made safe to print on a terminal: the same document, risky characters as \uXXXX. */
export function escapeUnsafeJson(text: string): string {
  return text.replace(JSON_CANDIDATES, (ch) =>
    isUnsafeChar(ch) ? `\\u${(ch.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}` : ch,
  );
}

/** Pretty JSON that is safe to print on a terminal: same value, risky characters as \uXXXX. */
export function jsonText(value: unknown): string {
  return `${escapeUnsafeJson(JSON.stringify(value, null, 2))}\n`;
}
