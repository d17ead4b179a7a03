import type { PortscopeApi } from '../../../../shared/contract';
import type { PortStore } from '../../store';
import { setKillConfirmPolicy, shouldConfirmKill } from '../kill';
import { announcePortEvent, startPortNotifier } from './port-notifier';
import { connectSettings, useSettingsStore } from './settings-store';

/**
 * Settings in the renderer. The page starts them (startSettings) with its api and store: they load
 * and follow their pushes, apply the theme, and where the host raises no notifications itself (the
 * browser mode) the page announces watched ports.
 */

export { announcePortEvent, requestNotificationPermission, startPortNotifier } from './port-notifier';
export { SettingsButton, SettingsDialog } from './settings-dialog';
export {
  draftPatch,
  INTERVAL_CHOICES_MS,
  intervalChoices,
  parseWatchedPorts,
  type SettingsDraft,
  toDraft,
} from './settings-form';
export {
  applyTheme,
  connectSettings,
  type SettingsState,
  useSettings,
  useSettingsStore,
} from './settings-store';

/** The kill dialog asks per the settings (asking whenever the settings or the owner are unknown). */
export function followKillPolicy(): () => void {
  setKillConfirmPolicy((target) => {
    const { settings, currentUser } = useSettingsStore.getState();
    return shouldConfirmKill(settings, target.process.user, currentUser);
  });
  return () => setKillConfirmPolicy(null);
}

export interface SettingsStart {
  /** The page's port store (the notifier reads its rows). */
  store: PortStore;
  /** Whether this page may announce watched ports (the main window; never the tray's quick view). */
  announce: boolean;
}

/** Connect this page's settings to its api; returns the stop function. */
export function startSettings(api: PortscopeApi, { store, announce }: SettingsStart): () => void {
  const offs = [connectSettings(api), followKillPolicy()];
  let notifier: (() => void) | null = null;
  const follow = () => {
    const caps = useSettingsStore.getState().capabilities;
    // A host that notifies itself (the desktop app's main process) must not be doubled by a page.
    if (notifier || !announce || !caps || caps.notifications) return;
    notifier = startPortNotifier(api, store, {
      settings: () => useSettingsStore.getState().settings,
      announce: announcePortEvent,
    });
  };
  offs.push(useSettingsStore.subscribe(follow));
  follow();
  return () => {
    for (const off of offs.splice(0)) off();
    notifier?.();
    notifier = null;
  };
}
