import type { Settings } from '../../../../shared/settings';

/**
 * Whether a kill must be confirmed, from the user's settings. Asking is the default whenever
 * anything is unknown: the current user not known, or the process's owner not readable.
 */
export function shouldConfirmKill(
  settings: Pick<Settings, 'confirmKill' | 'skipConfirmForOwnProcesses'> | null,
  processUser: string,
  currentUser: string | null,
): boolean {
  if (!settings) return true;
  if (!settings.confirmKill) return false;
  if (!settings.skipConfirmForOwnProcesses) return true;
  return !(currentUser && processUser && processUser === currentUser);
}
