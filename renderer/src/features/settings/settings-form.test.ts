import { describe, expect, it } from 'vitest';
import { freshDefaults } from '../../../../shared/settings';
import { draftPatch, intervalChoices, loginItemSupported, parseWatchedPorts, toDraft } from './settings-form';

describe('parseWatchedPorts', () => {
  it('accepts commas, spaces, a leading colon, and drops duplicates', () => {
    expect(parseWatchedPorts(' 3000, 5432 :8080,,3000 ')).toEqual({ ok: true, ports: [3000, 5432, 8080] });
    expect(parseWatchedPorts('')).toEqual({ ok: true, ports: [] });
  });

  it('names what is not a port, and never half-parses it', () => {
    for (const bad of ['0', '65536', '30x0', '0x50', '1e3', '-22', '3000.5', '$(id)']) {
      const r = parseWatchedPorts(`80, ${bad}`);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error).toContain(`"${bad}"`);
    }
    const many = parseWatchedPorts('a b c d e');
    expect(many).toMatchObject({ ok: false, error: expect.stringContaining('and 2 more are not ports') });
  });

  it('caps the list', () => {
    const text = Array.from({ length: 201 }, (_, i) => 1000 + i).join(',');
    expect(parseWatchedPorts(text)).toMatchObject({ ok: false, error: expect.stringMatching(/At most 200/) });
  });
});

describe('draftPatch', () => {
  it('sends only what changed', () => {
    const saved = { ...freshDefaults(), watchedPorts: [3000] };
    const draft = toDraft(saved);
    expect(draftPatch(saved, draft)).toEqual({ ok: true, patch: {} });
    draft.pollIntervalMs = 2000;
    draft.theme = 'dark';
    draft.watchedPortsText = '3000 5432';
    expect(draftPatch(saved, draft)).toEqual({
      ok: true,
      patch: { pollIntervalMs: 2000, theme: 'dark', watchedPorts: [3000, 5432] },
    });
    expect(draftPatch(saved, { ...draft, watchedPortsText: 'x' }).ok).toBe(false);
  });
});

describe('intervalChoices', () => {
  it('offers a saved value that is not a preset, in order', () => {
    expect(intervalChoices(1000)).toContain(1000);
    expect(intervalChoices(750).slice(0, 3)).toEqual([250, 500, 750]);
  });
});

describe('loginItemSupported', () => {
  it('is true on macOS and Windows, false on Linux', () => {
    expect(loginItemSupported('Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) Electron/33.0.0')).toBe(true);
    expect(loginItemSupported('Mozilla/5.0 (Windows NT 10.0; Win64; x64) Electron/33.0.0')).toBe(true);
    expect(loginItemSupported('Mozilla/5.0 (X11; Linux x86_64) Electron/33.0.0')).toBe(false);
  });
});
