import { describe, expect, it } from 'vitest';
import { applyNoise, ruleMatches, sameRule, toggleRule } from './noise-rules';
import { sanitizeSettings, settingsPatchSchema } from './settings';
import { testRow } from './testing/rows';

describe('noise rules', () => {
  const vite = testRow(5173, { name: 'node' });
  vite.process = { ...(vite.process as NonNullable<typeof vite.process>), label: 'vite' };
  const pg = testRow(5432, { name: 'postgres' });
  const cups = testRow(631, { name: 'cupsd' });

  it('match a process by its label or its name, a port exactly, a user by name', () => {
    expect(ruleMatches(vite, { kind: 'process', value: 'Vite' })).toBe(true);
    expect(ruleMatches(vite, { kind: 'process', value: 'node' })).toBe(true);
    expect(ruleMatches(vite, { kind: 'port', value: '517' })).toBe(false);
    expect(ruleMatches(vite, { kind: 'port', value: '5173' })).toBe(true);
    expect(ruleMatches(pg, { kind: 'user', value: 'alice' })).toBe(true);
    expect(ruleMatches(pg, { kind: 'user', value: 'root' })).toBe(false);
  });

  it('hide, pin on top (stable), count what is hidden, and show all on request', () => {
    const rows = [cups, vite, pg];
    const opts = {
      hideRules: [{ kind: 'process' as const, value: 'cupsd' }],
      favourites: [{ kind: 'port' as const, value: '5432' }],
    };
    const out = applyNoise(rows, (r) => r, opts);
    expect(out.items.map((r) => r.localPort)).toEqual([5432, 5173]);
    expect(out.hidden).toBe(1);
    const all = applyNoise(rows, (r) => r, { ...opts, showHidden: true });
    expect(all.items.map((r) => r.localPort)).toEqual([5432, 631, 5173]);
    expect(all.hidden).toBe(1);
  });

  it('toggle a rule in a list once', () => {
    const r = { kind: 'process' as const, value: 'Vite' };
    const on = toggleRule([], r);
    expect(on).toEqual([r]);
    expect(toggleRule(on, { kind: 'process', value: 'vite' })).toEqual([]);
    expect(sameRule({ kind: 'port', value: '80' }, { kind: 'user', value: '80' })).toBe(false);
  });

  it('are kept in settings: valid ones pass, bad ones fall back to the defaults', () => {
    expect(settingsPatchSchema.safeParse({ hideRules: [{ kind: 'port', value: '631' }] }).success).toBe(true);
    expect(settingsPatchSchema.safeParse({ hideRules: [{ kind: 'pid', value: '1' }] }).success).toBe(false);
    expect(
      settingsPatchSchema.safeParse({ columns: [{ id: 'command', visible: true, width: 10 }] }).success,
    ).toBe(false);
    const { settings, reset } = sanitizeSettings({
      favourites: 'all',
      columns: [{ id: 'port', visible: false, width: null }],
    });
    expect(settings.favourites).toEqual([]);
    expect(reset).toEqual(['favourites']);
    expect(settings.columns).toEqual([{ id: 'port', visible: false, width: null }]);
  });
});
