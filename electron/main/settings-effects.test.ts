import { describe, expect, it } from 'vitest';
import { freshDefaults, type Settings } from '../../shared/settings';
import { createSettingsApplier, settingsEffects } from './settings-effects';

const s = (over: Partial<Settings> = {}): Settings => ({ ...freshDefaults(), ...over });

describe('settingsEffects', () => {
  it('applies everything at start-up, then only what changed', () => {
    expect(settingsEffects(null, s(), 'darwin')).toEqual({ openAtLogin: false, theme: 'system' });
    expect(settingsEffects(s(), s({ pollIntervalMs: 500 }), 'darwin')).toEqual({});
    expect(settingsEffects(s(), s({ launchAtLogin: true }), 'win32')).toEqual({ openAtLogin: true });
    expect(settingsEffects(s(), s({ theme: 'dark' }), 'darwin')).toEqual({ theme: 'dark' });
  });

  it('never touches login items on Linux', () => {
    expect(settingsEffects(null, s({ launchAtLogin: true }), 'linux')).toEqual({ theme: 'system' });
    expect(settingsEffects(s(), s({ launchAtLogin: true }), 'linux')).toEqual({});
  });
});

describe('createSettingsApplier', () => {
  it('calls the shell for each change in order and survives a failing call', () => {
    const calls: string[] = [];
    const apply = createSettingsApplier({
      platform: 'win32',
      setOpenAtLogin: (open) => {
        calls.push(`login:${open}`);
        if (open) throw new Error('denied');
      },
      setThemeSource: (theme) => calls.push(`theme:${theme}`),
    });
    apply(s());
    apply(s({ theme: 'light' }));
    apply(s({ theme: 'light', launchAtLogin: true }));
    apply(s({ theme: 'dark', launchAtLogin: true }));
    expect(calls).toEqual(['login:false', 'theme:system', 'theme:light', 'login:true', 'theme:dark']);
  });
});
