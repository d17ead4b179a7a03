import { describe, expect, it } from 'vitest';
import { testRow } from '../../shared/testing/rows';
import { buildTrayMenu } from './tray-menu';

/** The tray follows the same hide rules and favourites as the table and the quick view. */
describe('tray menu noise control', () => {
  const rows = [
    testRow(631, { name: 'cupsd', pid: 631 }),
    testRow(5432, { name: 'postgres', pid: 700 }),
    testRow(8080, { name: 'node', pid: 900 }),
  ];
  const labels = (items: ReturnType<typeof buildTrayMenu>) => items.map((i) => i.label ?? '—');

  it('lists favourites first, marked ★, and says how many ports rules hide', () => {
    const items = buildTrayMenu(rows, {
      paused: false,
      favourites: [{ kind: 'port', value: '8080' }],
      hideRules: [{ kind: 'process', value: 'cupsd' }],
    });
    const text = labels(items);
    expect(text[0]).toBe('★ node (PID 900)');
    expect(text[1]).toBe('8080/tcp');
    expect(text).toContain('postgres (PID 700)');
    expect(text.some((t) => t.startsWith('cupsd'))).toBe(false);
    const note = items.find((i) => i.label?.startsWith('1 hidden'));
    expect(note?.action).toEqual({ kind: 'show' });
  });

  it('names a process by its friendly label and project', () => {
    const vite = testRow(5173, { name: 'node', pid: 4242 });
    vite.process = {
      ...(vite.process as NonNullable<typeof vite.process>),
      label: 'vite',
      project: { name: 'shop-web', dir: '/w/shop-web', branch: 'main' },
    };
    expect(labels(buildTrayMenu([vite], { paused: false }))[0]).toBe('vite · shop-web (main) (PID 4242)');
  });

  it('never hides a favourite', () => {
    const items = buildTrayMenu(rows, {
      paused: false,
      favourites: [{ kind: 'process', value: 'postgres' }],
      hideRules: [{ kind: 'port', value: '5432' }],
    });
    expect(labels(items)[0]).toBe('★ postgres (PID 700)');
    expect(labels(items).some((t) => t.includes('hidden'))).toBe(false);
  });
});
