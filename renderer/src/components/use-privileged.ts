import { useSettingsStore } from '../features/settings';

/**
 * True when the engine runs as root: then a holder it cannot see is not "another user's process"
 * (it is one in another PID namespace), and the shared wording (holderText) says so.
 */
export function usePrivileged(): boolean {
  return useSettingsStore((s) => s.currentUser === 'root');
}
