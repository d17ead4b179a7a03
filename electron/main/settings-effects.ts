import type { Settings, Theme } from '../../shared/settings';

/**
 * What a settings change means for the desktop shell: the login item and the native theme. The
 * engine's part (poll interval) is done by the api; close-to-tray and watched ports are read from the
 * store when they are needed, so they apply at once by themselves. No Electron import: the shell
 * functions are passed in, so this is unit-tested; index.ts hands it app and nativeTheme.
 */

export interface SettingsShell {
  platform: NodeJS.Platform;
  /** app.setLoginItemSettings({ openAtLogin }). */
  setOpenAtLogin(open: boolean): void;
  /** nativeTheme.themeSource = theme (also what prefers-color-scheme reports to our pages). */
  setThemeSource(theme: Theme): void;
}

/** Which shell effects a change needs; null `prev` means start-up (apply everything once). */
export function settingsEffects(
  prev: Settings | null,
  next: Settings,
  platform: NodeJS.Platform,
): { openAtLogin?: boolean; theme?: Theme } {
  const out: { openAtLogin?: boolean; theme?: Theme } = {};
  // Electron has no login items on Linux (autostart .desktop files are the desktop's business).
  if (platform !== 'linux' && (prev === null || prev.launchAtLogin !== next.launchAtLogin)) {
    out.openAtLogin = next.launchAtLogin;
  }
  if (prev === null || prev.theme !== next.theme) out.theme = next.theme;
  return out;
}

/**
 * Follow the settings: call `apply(settings)` with each new value; shell calls are made only for
 * what changed, and a failing call (a sandboxed login-item API) is reported, not thrown.
 */
export function createSettingsApplier(shell: SettingsShell): (next: Settings) => void {
  let prev: Settings | null = null;
  return (next) => {
    const effects = settingsEffects(prev, next, shell.platform);
    prev = next;
    try {
      if (effects.openAtLogin !== undefined) shell.setOpenAtLogin(effects.openAtLogin);
      if (effects.theme !== undefined) shell.setThemeSource(effects.theme);
    } catch (e) {
      console.warn(`Portscope: could not apply a setting (${(e as Error)?.message ?? e})`);
    }
  };
}
