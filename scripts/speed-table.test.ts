import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readResults, renderTable, updateReadme } from './speed-table.mjs';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function results(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'speed-table-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}

describe('speed table from bench/results', () => {
  it('takes every target line of every file, with its bench and date, and the scale table', () => {
    const dir = results({
      'engine.txt':
        '# engine bench, 2026-12-01T17:00:00.000Z, node v20\nnoise\ntarget serve idle CPU, Listening: 3.2 ms/s (≤ 5 ms/s) ✓\n',
      'cli.txt':
        '# cli bench, 2026-12-02T10:00:00.000Z\ntarget portscope --version vs node -e 0: 1.42× (≤ 1.3×) ✗\n',
      'scale.txt': '# scale bench, 2026-12-01\nscale  sockets | first ms\nscale    1001 | 40\n',
      'other.md': 'target ignored: 1 (≤ 2) ✓\n',
    });
    const r = readResults(dir);
    expect(r.targets).toEqual([
      {
        name: 'portscope --version vs node -e 0',
        value: '1.42×',
        limit: '1.3×',
        ok: '✗',
        bench: 'cli',
        date: '2026-12-02',
      },
      {
        name: 'serve idle CPU, Listening',
        value: '3.2 ms/s',
        limit: '5 ms/s',
        ok: '✓',
        bench: 'engine',
        date: '2026-12-01',
      },
    ]);
    const block = renderTable(r);
    expect(block).toContain('| serve idle CPU, Listening | 3.2 ms/s | ≤ 5 ms/s | ✓ | engine, 2026-12-01 |');
    expect(block).toContain('| 1001 | 40 |');
  });

  it('replaces only its own block, and a second run changes nothing', () => {
    const readme = '# X\n\n### Speed (here)\n\nhand-written text\n\n## Next\n';
    const block = renderTable({ targets: [], scale: [], notes: [] });
    const once = updateReadme(readme, block);
    expect(once).toContain('hand-written text');
    expect(once.indexOf(block)).toBeGreaterThan(once.indexOf('### Speed'));
    expect(updateReadme(once, block)).toBe(once);
    const other = renderTable({ targets: [], scale: [], notes: ['soak: verdict'] });
    const twice = updateReadme(once, other);
    expect(twice).toContain('- soak: verdict');
    expect(twice.split('speed-table:start').length).toBe(2);
  });
});
