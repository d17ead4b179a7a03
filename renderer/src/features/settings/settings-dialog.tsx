import { type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { formatInterval } from '../../../../shared/format';
import type { Theme } from '../../../../shared/settings';
import { useModal } from '../modal/use-modal';
import { toast } from '../toast';
import { NoiseFields } from './noise-fields';
import { requestNotificationPermission } from './port-notifier';
import {
  draftPatch,
  intervalChoices,
  loginItemSupported,
  parseWatchedPorts,
  type SettingsDraft,
  toDraft,
} from './settings-form';
import { useSettingsStore } from './settings-store';
import './settings.css';

/**
 * The settings view: a modal form over the saved settings. Nothing is sent until Save, and then only
 * the fields that changed; the engine validates again and its answer is what the form shows next.
 */
export function SettingsDialog() {
  const isOpen = useSettingsStore((s) => s.isOpen);
  return isOpen ? <OpenSettingsDialog /> : null;
}

/** The gear button that opens the settings (for the main toolbar). */
export function SettingsButton() {
  const open = useSettingsStore((s) => s.open);
  return (
    <button
      type="button"
      className="ps-btn ps-settings-button"
      aria-label="Settings"
      title="Settings"
      aria-haspopup="dialog"
      onClick={open}
    >
      <GearIcon />
    </button>
  );
}

const THEMES: { value: Theme; label: string }[] = [
  { value: 'system', label: 'Same as the system' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

function OpenSettingsDialog() {
  const settings = useSettingsStore((s) => s.settings);
  const loadError = useSettingsStore((s) => s.loadError);
  const desktop = useSettingsStore((s) => s.desktop);
  const { close, save } = useSettingsStore.getState();
  const [draft, setDraft] = useState<SettingsDraft | null>(() => (settings ? toDraft(settings) : null));
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<string | null>(null);
  const [permissionNote, setPermissionNote] = useState<string | null>(null);
  const dialogRef = useRef<HTMLDivElement>(null);
  const portsRef = useRef<HTMLInputElement>(null);
  const titleId = useId();
  const id = useId();
  useModal(dialogRef, true, close);

  // Settings that arrive after the dialog opened (a slow first load) fill the form once.
  useEffect(() => {
    if (settings && !draft) setDraft(toDraft(settings));
  }, [settings, draft]);
  useEffect(() => {
    const first = dialogRef.current?.querySelector<HTMLElement>('select, input');
    (first ?? dialogRef.current)?.focus();
  }, []);

  const ports = draft ? parseWatchedPorts(draft.watchedPortsText) : null;
  const portsError = ports && !ports.ok ? ports.error : null;
  const set = <K extends keyof SettingsDraft>(key: K, value: SettingsDraft[K]) =>
    setDraft((d) => (d ? { ...d, [key]: value } : d));

  const onNotifications = async (on: boolean) => {
    set('notifications', on);
    setPermissionNote(null);
    if (!on || desktop) return;
    // Asked here, inside the click: browsers ignore a permission request that no gesture started.
    const permission = await requestNotificationPermission();
    if (permission !== 'granted') {
      setPermissionNote(
        'This browser does not allow notifications from Portscope, so watched ports are announced inside the page.',
      );
    }
  };

  const onSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (!settings || !draft || saving) return;
    const result = draftPatch(settings, draft);
    if (!result.ok) {
      portsRef.current?.focus();
      return;
    }
    if (Object.keys(result.patch).length === 0) return close();
    setSaving(true);
    setSaveError(null);
    try {
      await save(result.patch);
      close();
      toast('Settings saved.', 'success');
    } catch (err) {
      setSaveError(`Not saved: ${(err as Error)?.message ?? String(err)}`);
      setSaving(false);
    }
  };

  const desktopOnly = !desktop;
  const check = (key: BooleanKey, label: string, opts: { disabled?: boolean; hint?: string } = {}) =>
    draft && (
      <div className="ps-settings-check">
        <input
          id={`${id}-${key}`}
          type="checkbox"
          checked={draft[key]}
          disabled={opts.disabled}
          aria-describedby={opts.hint ? `${id}-${key}-hint` : undefined}
          onChange={(ev) =>
            key === 'notifications' ? void onNotifications(ev.target.checked) : set(key, ev.target.checked)
          }
        />
        <label htmlFor={`${id}-${key}`}>{label}</label>
        {opts.hint && (
          <span id={`${id}-${key}-hint`} className="ps-settings-hint">
            {opts.hint}
          </span>
        )}
      </div>
    );
  const shellOnly = desktopOnly ? { disabled: true, hint: 'desktop app only' } : {};
  const loginItem = !desktop
    ? shellOnly
    : loginItemSupported(navigator.userAgent)
      ? {}
      : { disabled: true, hint: 'not available on Linux' };

  return (
    <div className="ps-modal-backdrop">
      <div
        ref={dialogRef}
        className="ps-modal ps-settings"
        role="dialog"
        aria-modal="true"
        aria-labelledby={titleId}
        tabIndex={-1}
      >
        <h2 id={titleId} className="ps-settings-title">
          Settings
        </h2>
        {!draft ? (
          <p className={loadError ? 'ps-settings-error' : 'ps-muted'} role={loadError ? 'alert' : 'status'}>
            {loadError ?? 'Loading your settings…'}
          </p>
        ) : (
          <form onSubmit={(e) => void onSubmit(e)} noValidate>
            <fieldset className="ps-settings-group">
              <legend>Updates</legend>
              <label className="ps-settings-field" htmlFor={`${id}-interval`}>
                <span>Poll interval</span>
                <select
                  id={`${id}-interval`}
                  value={draft.pollIntervalMs}
                  onChange={(ev) => set('pollIntervalMs', Number(ev.target.value))}
                >
                  {intervalChoices(draft.pollIntervalMs).map((ms) => (
                    <option key={ms} value={ms}>
                      Every {formatInterval(ms)}
                    </option>
                  ))}
                </select>
              </label>
              {check('resolveRemoteNames', 'Names for remote addresses (looked up in the background)')}
            </fieldset>
            <fieldset className="ps-settings-group">
              <legend>Killing</legend>
              {check('confirmKill', 'Confirm before kill')}
              {check('skipConfirmForOwnProcesses', 'Skip confirmation for my own processes', {
                disabled: !draft.confirmKill,
              })}
            </fieldset>
            <fieldset className="ps-settings-group">
              <legend>Watched ports</legend>
              <label className="ps-settings-field" htmlFor={`${id}-ports`}>
                <span>Watched ports</span>
                <input
                  ref={portsRef}
                  id={`${id}-ports`}
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder="e.g. 3000, 5432"
                  value={draft.watchedPortsText}
                  aria-invalid={portsError ? true : undefined}
                  aria-describedby={`${id}-ports-note`}
                  onChange={(ev) => set('watchedPortsText', ev.target.value)}
                />
              </label>
              <p
                id={`${id}-ports-note`}
                className={portsError ? 'ps-settings-error' : 'ps-settings-note'}
                role={portsError ? 'alert' : undefined}
              >
                {portsError ?? 'Separate ports with commas.'}
              </p>
              {check('notifications', 'Notify when a watched port opens or closes')}
              {check('notifyNetworkListeners', 'Notify when any port starts listening beyond loopback')}
              {check('historyEnabled', 'Keep a port history (listeners and kills)')}
              {permissionNote && <p className="ps-settings-note">{permissionNote}</p>}
            </fieldset>
            <NoiseFields
              legend="Hidden rows"
              note="Rows of these processes, ports or users are left out of the table and the quick view; the status bar says how many, with Show all."
              rules={draft.hideRules}
              onChange={(rules) => set('hideRules', rules)}
              testId="settings-hide-rules"
            />
            <NoiseFields
              legend="Favourites"
              note="Pinned on top of the table, the quick view and the tray menu."
              rules={draft.favourites}
              onChange={(rules) => set('favourites', rules)}
              testId="settings-favourites"
            />
            <fieldset className="ps-settings-group">
              <legend>Appearance and start-up</legend>
              <label className="ps-settings-field" htmlFor={`${id}-theme`}>
                <span>Theme</span>
                <select
                  id={`${id}-theme`}
                  value={draft.theme}
                  onChange={(ev) => set('theme', ev.target.value as Theme)}
                >
                  {THEMES.map((t) => (
                    <option key={t.value} value={t.value}>
                      {t.label}
                    </option>
                  ))}
                </select>
              </label>
              {check('closeToTray', 'Close to tray', shellOnly)}
              {check('startMinimized', 'Start minimized', shellOnly)}
              {check('launchAtLogin', 'Launch at login', loginItem)}
            </fieldset>
            {saveError && (
              <p className="ps-settings-error" role="alert">
                {saveError}
              </p>
            )}
            <div className="ps-settings-actions">
              <button type="button" className="ps-action" onClick={close}>
                Cancel
              </button>
              <button type="submit" className="ps-action ps-action-primary" disabled={saving || !!portsError}>
                {saving ? 'Saving…' : 'Save'}
              </button>
            </div>
          </form>
        )}
      </div>
    </div>
  );
}

type BooleanKey = {
  [K in keyof SettingsDraft]: SettingsDraft[K] extends boolean ? K : never;
}[keyof SettingsDraft];

/**
 * A cog with teeth (not rays: rays read as a sun, i.e. a theme switch). Decorative (aria-hidden):
 * the button around it carries the name "Settings".
 */
const GearIcon = () => (
  <svg viewBox="0 0 16 16" width="15" height="15" fill="currentColor" aria-hidden="true" focusable="false">
    <path
      fillRule="evenodd"
      d="M6.9 1h2.2l.35 1.8 1.2.5 1.5-1.03 1.56 1.56-1.03 1.5.5 1.2L15 6.9v2.2l-1.8.35-.5 1.2 1.03 1.5-1.56 1.56-1.5-1.03-1.2.5L9.1 15H6.9l-.35-1.8-1.2-.5-1.5 1.03-1.56-1.56 1.03-1.5-.5-1.2L1 9.1V6.9l1.8-.35.5-1.2-1.03-1.5 1.56-1.56 1.5 1.03 1.2-.5L6.9 1ZM8 10.3a2.3 2.3 0 1 0 0-4.6 2.3 2.3 0 0 0 0 4.6Z"
    />
  </svg>
);
