import { describe, expect, it } from 'vitest';
import { changeMessage } from '../../shared/port-watch';
import { labelText, safeText } from '../../shared/socket-rules';
import { jsonText } from './text';

/**
 * Every sanitiser in the code uses the one list in socket-rules: terminal text (safeText), JSON on a
 * terminal (jsonText), tray labels (menuText, tested in tray-menu.test.ts) and notifications (changeMessage). One case per class.
 */

const CLASSES: Array<[string, string[]]> = [
  ['C0 controls', ['\u0000', '\u0007', '\u001b', '\u001f']],
  ['DEL and C1 controls', ['\u007f', '\u0085', '\u009b', '\u009f']],
  ['line and paragraph separators', ['\u2028', '\u2029']],
  ['left-to-right / right-to-left marks', ['\u200e', '\u200f']],
  ['Arabic letter mark', ['\u061c']],
  ['bidi embeddings and overrides', ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e']],
  ['bidi isolates', ['\u2066', '\u2067', '\u2068', '\u2069']],
];

describe('the shared sanitiser', () => {
  for (const [name, chars] of CLASSES) {
    it(`replaces ${name} everywhere`, () => {
      for (const ch of chars) {
        const hex = ch.codePointAt(0)?.toString(16);
        const hostile = `ev${ch}il`;
        expect(safeText(hostile), hex).toBe('ev?il');
        expect(labelText(hostile), hex).toBe('evil');
        expect(changeMessage({ kind: 'opened', protocol: 'tcp', port: 80, process: hostile }), hex).toBe(
          'Port 80 opened by evil',
        );
        const json = jsonText({ name: hostile });
        expect(json.includes(ch), hex).toBe(false);
        // Same value for a parser: escaped, never dropped.
        expect(JSON.parse(json), hex).toEqual({ name: hostile });
      }
    });
  }

  it('keeps ordinary text, including non-Latin scripts and emoji', () => {
    const text = 'nginx: 工作进程 — Ελληνικά عربي 🚀';
    expect(safeText(text)).toBe(text);
    expect(labelText(text)).toBe(text);
    expect(JSON.parse(jsonText({ text }))).toEqual({ text });
    expect(jsonText({ text })).toContain(text);
  });

  it('labels also drop zero-width characters, which only make one name look like another', () => {
    expect(labelText('no\u200bde\ufeff')).toBe('node');
  });
});
