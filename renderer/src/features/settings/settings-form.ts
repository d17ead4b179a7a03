import { MAX_WATCHED_PORTS, type Settings, type SettingsPatch } from '../../../../shared/settings';
import { parsePort } from '../../../../shared/validate';

/**
 * The settings dialog's form logic, pure so it is tested without a DOM: the editable draft, the
 * watched-ports text (parsed with the shared port validator, never parseInt), and the patch that
 * holds only what the user changed.
 */

/** What the form edits: the settings, with the watched ports as the text the user typed. */
export type SettingsDraft = Omit<Settings, 'watchedPorts' | 'closeToTrayNoticeShown' | 'columns'> & {
  watchedPortsText: string;
};

/** Poll intervals offered in the dialog; a saved value outside the list is offered too. */
export const INTERVAL_CHOICES_MS = [250, 500, 1000, 2000, 5000, 10_000, 30_000, 60_000] as const;

/** The choices for the select, in order, including `current` when it is not a preset. */
export function intervalChoices(current: number): number[] {
  const all = new Set<number>([...INTERVAL_CHOICES_MS, current]);
  return [...all].sort((a, b) => a - b);
}

/** A fresh draft from the saved settings. */
export function toDraft(s: Settings): SettingsDraft {
  // Columns are arranged in the table's own chooser (saved at once), not in this form.
  const { watchedPorts, closeToTrayNoticeShown: _shown, columns: _columns, ...rest } = s;
  return { ...rest, watchedPortsText: watchedPorts.join(', ') };
}

export type PortsParse = { ok: true; ports: number[] } | { ok: false; error: string };

/**
 * "3000, 5432 8080" → [3000, 5432, 8080]. Commas and/or spaces separate; a leading colon is fine
 * (":3000"); duplicates are dropped quietly. Anything that is not a plain port is named in the error.
 */
export function parseWatchedPorts(text: string): PortsParse {
  const tokens = text.split(/[\s,]+/).filter((t) => t !== '');
  const ports: number[] = [];
  const bad: string[] = [];
  for (const token of tokens) {
    const port = parsePort(token);
    if (port === null) bad.push(token);
    else if (!ports.includes(port)) ports.push(port);
  }
  if (bad.length > 0) {
    const shown = bad
      .slice(0, 3)
      .map((t) => `"${t.length > 12 ? `${t.slice(0, 12)}…` : t}"`)
      .join(', ');
    const more = bad.length > 3 ? ` and ${bad.length - 3} more` : '';
    const noun = bad.length === 1 ? 'is not a port' : 'are not ports';
    return { ok: false, error: `${shown}${more} ${noun}: use numbers from 1 to 65535, separated by commas.` };
  }
  if (ports.length > MAX_WATCHED_PORTS) {
    return { ok: false, error: `At most ${MAX_WATCHED_PORTS} watched ports (${ports.length} given).` };
  }
  return { ok: true, ports };
}

/** The fields that differ from `saved`; an invalid ports text is an error, nothing else is sent. */
export function draftPatch(
  saved: Settings,
  draft: SettingsDraft,
): { ok: true; patch: SettingsPatch } | { ok: false; error: string } {
  const parsed = parseWatchedPorts(draft.watchedPortsText);
  if (!parsed.ok) return parsed;
  const patch: SettingsPatch = {};
  const { watchedPortsText: _text, ...fields } = draft;
  for (const key of Object.keys(fields) as (keyof typeof fields)[]) {
    if (fields[key] !== saved[key]) (patch as Record<string, unknown>)[key] = fields[key];
  }
  const samePorts =
    parsed.ports.length === saved.watchedPorts.length &&
    parsed.ports.every((p, i) => p === saved.watchedPorts[i]);
  if (!samePorts) patch.watchedPorts = parsed.ports;
  return { ok: true, patch };
}

/**
 * Whether the desktop app can register itself as a login item here: Electron supports that on macOS
 * and Windows only (on Linux autostart is the desktop environment's .desktop file).
 */
export function loginItemSupported(userAgent: string): boolean {
  return !/linux|cros|android/i.test(userAgent);
}
