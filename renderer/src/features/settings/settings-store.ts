import { create } from 'zustand';
import type { HostCapabilities, PortscopeApi } from '../../../../shared/contract';
import { defaultSettings, type Settings, type SettingsPatch, type Theme } from '../../../../shared/settings';
import { loadCapabilities } from '../../api/capabilities';
import { toast } from '../toast';

/**
 * The user's settings in the renderer: loaded with settings:get whenever the connection opens, kept
 * current by the 'settings' push (so every window and tab shows the same values), saved with
 * settings:update. Components read through useSettings(); the dialog opens with open().
 */

export interface SettingsState {
  /** The saved settings; null until the first settings:get answered. */
  settings: Settings | null;
  /** The user the engine runs as (whose processes are "my own"); null when unknown. */
  currentUser: string | null;
  /** Why the settings could not be loaded (shown in the dialog, never an empty form). */
  loadError: string | null;
  /** True in the Electron window: tray, start minimized and login items exist only there. */
  desktop: boolean;
  /** What the host can do (host:capabilities); null until it answered. */
  capabilities: HostCapabilities | null;
  isOpen: boolean;
  open(): void;
  close(): void;
  /** Save a patch; resolves with the saved settings, rejects with the server's ApiError. */
  save(patch: SettingsPatch): Promise<Settings>;
}

let api: PortscopeApi | null = null;

export const useSettingsStore = create<SettingsState>()((set) => ({
  settings: null,
  currentUser: null,
  loadError: null,
  desktop: false,
  capabilities: null,
  isOpen: false,
  open: () => set({ isOpen: true }),
  close: () => set({ isOpen: false }),
  save: async (patch) => {
    if (!api) throw new Error('Portscope is not connected yet.');
    const settings = await api.request('settings:update', { patch });
    set({ settings });
    return settings;
  },
}));

/**
 * The current settings (the defaults until they are loaded), or one value picked from them:
 * `useSettings((s) => s.confirmKill)` re-renders only when that value changes.
 */
export function useSettings(): Settings;
export function useSettings<T>(select: (s: Settings) => T): T;
export function useSettings<T>(select?: (s: Settings) => T): T | Settings {
  return useSettingsStore((state) => {
    const s = state.settings ?? (defaultSettings as Settings);
    return select ? select(s) : s;
  });
}

/** 'system' follows the OS (prefers-color-scheme); light and dark are forced with data-theme. */
export function applyTheme(theme: Theme, root: HTMLElement = document.documentElement): void {
  if (theme === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', theme);
}

/** Connect the settings to an api: load on every open connection, follow pushes, apply the theme. */
export function connectSettings(next: PortscopeApi): () => void {
  api = next;
  const load = async () => {
    try {
      const { settings, notice, currentUser } = await next.request('settings:get', {});
      useSettingsStore.setState({ settings, currentUser, loadError: null });
      // The engine hands a repair notice out once; it must not vanish unseen in a log.
      if (notice) toast(notice, 'error');
    } catch (e) {
      useSettingsStore.setState({
        loadError: `Could not load your settings: ${(e as Error)?.message ?? String(e)}`,
      });
    }
  };
  let theme: Theme | null = null;
  const offTheme = useSettingsStore.subscribe((s) => {
    const wanted = s.settings?.theme ?? 'system';
    if (wanted === theme) return;
    theme = wanted;
    applyTheme(wanted);
  });
  const offs = [
    next.on('settings', (settings) => useSettingsStore.setState({ settings })),
    next.onConnection((state) => {
      if (state === 'open') void load();
    }),
    offTheme,
    // Asked once: desktop-only settings follow what the host says it is, not the transport.
    loadCapabilities(next, (capabilities) =>
      useSettingsStore.setState({ capabilities, desktop: capabilities.host === 'desktop' }),
    ),
  ];
  return () => {
    for (const off of offs) off();
    if (api === next) api = null;
  };
}
