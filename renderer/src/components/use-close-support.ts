import { useSettingsStore } from '../features/settings/settings-store';

/** Whether this host can close a connection, and why not (the tooltip); unknown until capabilities answer. */
export function useCloseSupport(): { supported: boolean; reason: string | null } {
  const supported = useSettingsStore((s) => s.capabilities?.closeConnection === true);
  const reason = useSettingsStore((s) => s.capabilities?.closeConnectionReason ?? null);
  return { supported, reason };
}

/** Only the yes/no (one subscription per table row, so only a change of it re-renders rows). */
export function useCanCloseConnections(): boolean {
  return useSettingsStore((s) => s.capabilities?.closeConnection === true);
}
