import { getApi } from '../../api';
import { setKillConfirmPolicy, shouldConfirmKill } from '../kill';
import { announcePortEvent, startPortNotifier } from './port-notifier';
import { connectSettings, useSettingsStore } from './settings-store';

/**
 * Settings in the renderer. Importing this module loads the settings and follows their pushes at
 * module scope (the store pattern), applies the theme, and in the browser mode announces watched
 * ports (the desktop app does that in its main process, so a window never doubles it).
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

let stop: (() => void) | null = null;

/** The kill dialog asks per the settings (asking whenever the settings or the owner are unknown). */
export function followKillPolicy(): () => void {
  setKillConfirmPolicy((target) => {
    const { settings, currentUser } = useSettingsStore.getState();
    return shouldConfirmKill(settings, target.process.user, currentUser);
  });
  return () => setKillConfirmPolicy(null);
}

/** Connect this page's settings (done on import in the app; idempotent). */
export function startSettings(): () => void {
  if (stop) return stop;
  const api = getApi();
  const offs = [connectSettings(api), followKillPolicy()];
  if (api.transport === 'websocket') {
    offs.push(
      startPortNotifier(api, {
        settings: () => useSettingsStore.getState().settings,
        announce: announcePortEvent,
      }),
    );
  }
  stop = () => {
    for (const off of offs) off();
    stop = null;
  };
  return stop;
}

// Tests connect their own api; the page connects as soon as the feature is imported.
if (typeof window !== 'undefined' && !import.meta.env?.VITEST) startSettings();
