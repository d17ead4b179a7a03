import { describe, expect, it } from 'vitest';
import { decideClose, isObserved, quickViewPosition } from './window-policy';

describe('decideClose', () => {
  const base = { quitting: false, hasTray: true, closeToTray: true, closeToTrayNoticeShown: false };

  it('hides to the tray and tells the user the first time only', () => {
    expect(decideClose(base)).toBe('hide-and-notify');
    expect(decideClose({ ...base, closeToTrayNoticeShown: true })).toBe('hide');
  });

  it('quits when the setting is off, when there is no tray, or when quitting anyway', () => {
    expect(decideClose({ ...base, closeToTray: false })).toBe('quit');
    expect(decideClose({ ...base, hasTray: false })).toBe('quit');
    expect(decideClose({ ...base, quitting: true })).toBe('quit');
  });
});

describe('isObserved', () => {
  it('is true while any window is visible and not minimised', () => {
    expect(isObserved([])).toBe(false);
    expect(isObserved([{ visible: false, minimized: false }])).toBe(false);
    expect(isObserved([{ visible: true, minimized: true }])).toBe(false);
    expect(
      isObserved([
        { visible: false, minimized: false },
        { visible: true, minimized: false },
      ]),
    ).toBe(true);
  });
});

describe('quickViewPosition', () => {
  const size = { width: 360, height: 440 };
  const screen = { x: 0, y: 0, width: 1920, height: 1080 };

  it('opens below a tray at the top of the screen, centred on the icon', () => {
    const p = quickViewPosition(
      { x: 1500, y: 0, width: 24, height: 24 },
      size,
      { ...screen, y: 24, height: 1056 },
      { x: 0, y: 0 },
    );
    expect(p).toEqual({ x: 1332, y: 28 });
  });

  it('opens above a tray at the bottom (Windows taskbar)', () => {
    const p = quickViewPosition(
      { x: 1700, y: 1040, width: 24, height: 40 },
      size,
      { ...screen, height: 1040 },
      { x: 0, y: 0 },
    );
    expect(p.y).toBe(1040 - 440 - 4);
  });

  it('stays inside the work area at the right edge', () => {
    const p = quickViewPosition({ x: 1900, y: 0, width: 20, height: 24 }, size, screen, { x: 0, y: 0 });
    expect(p.x).toBe(1920 - 360);
  });

  it('falls back to the cursor when the tray reports no bounds (Linux)', () => {
    const p = quickViewPosition({ x: 0, y: 0, width: 0, height: 0 }, size, screen, { x: 1000, y: 10 });
    expect(p).toEqual({ x: 820, y: 14 });
  });
});
