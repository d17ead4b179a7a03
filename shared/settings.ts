import { z } from 'zod';
import { portSchema } from './validate';

/**
 * The user's settings: one zod schema, its defaults, and the patch schema every front door
 * (IPC, WebSocket, CLI) parses updates with. Plain data, no Node APIs.
 */

export const MAX_WATCHED_PORTS = 200;
export const MAX_NOISE_RULES = 200;

/** A hide rule or favourite (shared/noise-rules.ts): a process name/label, a port or a user. */
export const noiseRuleSchema = z
  .object({
    kind: z.enum(['process', 'port', 'user']),
    value: z.string().trim().min(1).max(200),
  })
  .strict();

/**
 * One column of the table as the user arranged it: its registry id, shown or not, and a width in px
 * the user dragged it to (null: the registry's own width). The list's order is the column order.
 */
export const columnPrefSchema = z
  .object({
    id: z.string().regex(/^[a-z][a-zA-Z0-9-]{0,39}$/),
    visible: z.boolean(),
    width: z.number().int().min(32).max(2000).nullable(),
  })
  .strict();
export type ColumnPref = z.infer<typeof columnPrefSchema>;

export const settingsSchema = z.object({
  /** How often the monitor polls while a window is visible. */
  pollIntervalMs: z.number().int().min(250).max(60_000),
  /** Ask before every kill. */
  confirmKill: z.boolean(),
  /** Skip that question for processes the user owns (off by default: safety first). */
  skipConfirmForOwnProcesses: z.boolean(),
  /** Ports that raise a notification when they open or close. */
  watchedPorts: z
    .array(portSchema)
    .max(MAX_WATCHED_PORTS)
    .refine((ports) => new Set(ports).size === ports.length, 'each port only once'),
  /** Notify for watched ports (off by default; never for unwatched ports). */
  notifications: z.boolean(),
  /** Notify when any port starts listening beyond loopback (0.0.0.0, ::, a LAN address); off by default. */
  notifyNetworkListeners: z.boolean(),
  /** Names for remote addresses in All sockets (reverse DNS, cached, in the background); private ranges are labelled without DNS. */
  resolveRemoteNames: z.boolean(),
  theme: z.enum(['system', 'light', 'dark']),
  /** Closing the main window keeps Portscope in the tray. */
  closeToTray: z.boolean(),
  /** The "Portscope is still running in the tray" notice was shown once. */
  closeToTrayNoticeShown: z.boolean(),
  startMinimized: z.boolean(),
  launchAtLogin: z.boolean(),
  /** The table's columns: order, shown/hidden, widths. Empty = the registry's defaults. */
  columns: z.array(columnPrefSchema).max(64),
  /** Rows matching any of these are hidden (a visible "N hidden" brings them back). */
  hideRules: z.array(noiseRuleSchema).max(MAX_NOISE_RULES),
  /** Rows matching any of these are pinned on top of the table, the quick view and the tray. */
  favourites: z.array(noiseRuleSchema).max(MAX_NOISE_RULES),
  /** Record listening sockets and kills in the port history (electron/core/history). */
  historyEnabled: z.boolean(),
  /** Forget history older than this many days. */
  historyMaxAgeDays: z.number().int().min(1).max(3650),
  /** Keep the history folder under this many MB (oldest segments go first). */
  historyMaxMB: z.number().int().min(1).max(10_000),
});

export type Settings = z.infer<typeof settingsSchema>;
export type SettingsKey = keyof Settings;
export type Theme = Settings['theme'];

/** What a fresh install uses, and what replaces any field that fails validation. */
export const defaultSettings: Readonly<Settings> = Object.freeze({
  pollIntervalMs: 1000,
  confirmKill: true,
  skipConfirmForOwnProcesses: false,
  watchedPorts: [],
  notifications: false,
  notifyNetworkListeners: false,
  resolveRemoteNames: true,
  theme: 'system',
  closeToTray: true,
  closeToTrayNoticeShown: false,
  startMinimized: false,
  launchAtLogin: false,
  columns: [],
  hideRules: [],
  favourites: [],
  historyEnabled: true,
  historyMaxAgeDays: 30,
  historyMaxMB: 50,
});

/** An update: any subset of the fields, each fully valid; unknown keys are an error, not ignored. */
export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** A fresh, mutable copy of the defaults (the frozen object's array must never be shared). */
export function freshDefaults(): Settings {
  return {
    ...defaultSettings,
    watchedPorts: [...defaultSettings.watchedPorts],
    columns: [...defaultSettings.columns],
    hideRules: [...defaultSettings.hideRules],
    favourites: [...defaultSettings.favourites],
  };
}

export interface SanitizeResult {
  settings: Settings;
  /** Fields that were present but invalid and fell back to their defaults. */
  reset: SettingsKey[];
  /** Keys this version does not know; they are dropped. */
  unknown: string[];
}

/**
 * Make a full, valid Settings from whatever a file held, field by field: a valid field is kept, an
 * invalid one falls back to its default (and is reported), a missing one takes its default, unknown
 * keys are dropped. Watched ports keep their valid entries (deduplicated) rather than all-or-nothing,
 * because one bad entry should not cost the user the whole list.
 */
export function sanitizeSettings(input: Record<string, unknown>): SanitizeResult {
  const settings = freshDefaults();
  const reset: SettingsKey[] = [];
  const shape = settingsSchema.shape;
  const target = settings as Record<SettingsKey, unknown>;
  for (const key of Object.keys(shape) as SettingsKey[]) {
    if (!Object.hasOwn(input, key)) continue;
    const value = input[key];
    const parsed = shape[key].safeParse(value);
    if (parsed.success) {
      target[key] = parsed.data;
    } else if (key === 'watchedPorts' && Array.isArray(value)) {
      const ports = [...new Set(value.filter((p) => portSchema.safeParse(p).success) as number[])];
      settings.watchedPorts = ports.slice(0, MAX_WATCHED_PORTS);
      reset.push(key);
    } else {
      reset.push(key);
    }
  }
  const unknown = Object.keys(input).filter((k) => !Object.hasOwn(shape, k));
  return { settings, reset, unknown };
}
