// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { freshDefaults } from '../../../../shared/settings';
import { testRow } from '../../testing/scripted-api';
import { createSettingsApi, type SettingsApi } from '../../testing/settings-test-api';
import { useKillStore } from '../kill';
import { Toaster, useToastStore } from '../toast';
import { followKillPolicy } from './index';
import { SettingsButton, SettingsDialog } from './settings-dialog';
import { connectSettings, useSettings, useSettingsStore } from './settings-store';

let disconnect: (() => void) | null = null;

afterEach(() => {
  cleanup();
  disconnect?.();
  disconnect = null;
  act(() =>
    useSettingsStore.setState({
      settings: null,
      isOpen: false,
      loadError: null,
      currentUser: null,
      desktop: false,
      capabilities: null,
    }),
  );
  useToastStore.setState({ toasts: [] });
  document.documentElement.removeAttribute('data-theme');
});

async function mount(api: SettingsApi) {
  disconnect = connectSettings(api);
  await waitFor(() => expect(useSettingsStore.getState().settings).not.toBeNull());
  await waitFor(() => expect(useSettingsStore.getState().capabilities).not.toBeNull());
  render(
    <>
      <SettingsButton />
      <SettingsDialog />
      <Toaster />
    </>,
  );
  fireEvent.click(screen.getByRole('button', { name: 'Settings' }));
  return screen.getByRole('dialog', { name: 'Settings' });
}

const updates = (api: SettingsApi) => api.requests.filter(([c]) => c === 'settings:update').map(([, p]) => p);

describe('SettingsDialog', () => {
  it('opens from the gear, shows the saved values and saves only what changed', async () => {
    const api = createSettingsApi();
    api.saved = { ...freshDefaults(), watchedPorts: [5432] };
    const dialog = await mount(api);
    const d = within(dialog);
    expect((d.getByLabelText('Poll interval') as HTMLSelectElement).value).toBe('1000');
    expect((d.getByLabelText('Watched ports') as HTMLInputElement).value).toBe('5432');
    expect((d.getByLabelText('Confirm before kill') as HTMLInputElement).checked).toBe(true);
    expect(dialog.contains(document.activeElement)).toBe(true);

    fireEvent.change(d.getByLabelText('Poll interval'), { target: { value: '2000' } });
    fireEvent.change(d.getByLabelText('Watched ports'), { target: { value: '5432, 3000' } });
    fireEvent.change(d.getByLabelText('Theme'), { target: { value: 'dark' } });
    fireEvent.click(d.getByRole('button', { name: 'Save' }));

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(updates(api)).toEqual([
      { patch: { pollIntervalMs: 2000, theme: 'dark', watchedPorts: [5432, 3000] } },
    ]);
    expect(useSettingsStore.getState().settings).toMatchObject({ pollIntervalMs: 2000, theme: 'dark' });
    expect(document.documentElement.getAttribute('data-theme')).toBe('dark');
    expect(screen.getByText('Settings saved.')).toBeTruthy();
  });

  it('names a bad watched port inline and sends nothing', async () => {
    const api = createSettingsApi();
    const dialog = await mount(api);
    const input = within(dialog).getByLabelText('Watched ports');
    fireEvent.change(input, { target: { value: '3000, 70000, abc' } });
    expect(input.getAttribute('aria-invalid')).toBe('true');
    expect(within(dialog).getByRole('alert').textContent).toMatch(/"70000", "abc" are not ports/);
    const save = within(dialog).getByRole('button', { name: 'Save' });
    expect((save as HTMLButtonElement).disabled).toBe(true);
    fireEvent.submit(save.closest('form') as HTMLFormElement);
    await act(async () => {});
    expect(updates(api)).toEqual([]);
    expect(screen.getByRole('dialog', { name: 'Settings' })).toBeTruthy();
  });

  it('in the browser mode the desktop-only settings are disabled and say so', async () => {
    const dialog = await mount(createSettingsApi([], 'browser'));
    for (const name of ['Close to tray', 'Start minimized', 'Launch at login']) {
      const box = within(dialog).getByLabelText(name) as HTMLInputElement;
      expect(box.disabled).toBe(true);
      const hint = document.getElementById(box.getAttribute('aria-describedby') ?? '');
      expect(hint?.textContent).toBe('desktop app only');
    }
    expect((within(dialog).getByLabelText('Theme') as HTMLSelectElement).disabled).toBe(false);
  });

  it('in the desktop app they can be changed', async () => {
    const api = createSettingsApi([], 'desktop');
    const dialog = await mount(api);
    expect(within(dialog).queryByText('desktop app only')).toBeNull();
    fireEvent.click(within(dialog).getByLabelText('Close to tray'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(updates(api)).toEqual([{ patch: { closeToTray: false } }]));
  });

  it('turns on network-listener notices, and turns off remote names and the history', async () => {
    const api = createSettingsApi([], 'browser');
    const dialog = await mount(api);
    fireEvent.click(within(dialog).getByLabelText('Notify when any port starts listening beyond loopback'));
    fireEvent.click(
      within(dialog).getByLabelText('Names for remote addresses (looked up in the background)'),
    );
    fireEvent.click(within(dialog).getByLabelText('Keep a port history (listeners and kills)'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() =>
      expect(updates(api)).toEqual([
        { patch: { resolveRemoteNames: false, notifyNetworkListeners: true, historyEnabled: false } },
      ]),
    );
  });

  it('shows a refused save in place and keeps the dialog open; Escape then closes without saving', async () => {
    const api = createSettingsApi();
    const dialog = await mount(api);
    const original = api.request;
    api.request = (async (channel: string, payload: unknown) => {
      if (channel === 'settings:update') throw new Error('disk full');
      return original(channel as never, payload as never);
    }) as typeof api.request;
    fireEvent.click(within(dialog).getByLabelText('Confirm before kill'));
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(within(dialog).getByRole('alert').textContent).toBe('Not saved: disk full'));
    fireEvent.keyDown(document, { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(useSettingsStore.getState().settings?.confirmKill).toBe(true);
  });
});

function IntervalProbe() {
  return <output>{useSettings((s) => s.pollIntervalMs)}</output>;
}

describe('settings store', () => {
  it('shows a load notice once as a toast, even across reconnects', async () => {
    const api = createSettingsApi();
    api.notice = 'Your settings file was unreadable; a copy was kept at /x; defaults are in use.';
    disconnect = connectSettings(api);
    render(<Toaster />);
    await waitFor(() => expect(screen.getByText(/settings file was unreadable/)).toBeTruthy());
    act(() => api.setConnection('closed'));
    act(() => api.setConnection('open'));
    await waitFor(() => expect(api.requests.filter(([c]) => c === 'settings:get')).toHaveLength(2));
    expect(useToastStore.getState().toasts.filter((t) => /unreadable/.test(t.message))).toHaveLength(1);
  });

  it("follows another window's change (push) in useSettings and on the page theme", async () => {
    const api = createSettingsApi();
    disconnect = connectSettings(api);
    render(<IntervalProbe />);
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('1000'));
    act(() => api.pushSettings({ ...freshDefaults(), pollIntervalMs: 5000, theme: 'light' }));
    expect(screen.getByRole('status').textContent).toBe('5000');
    expect(document.documentElement.getAttribute('data-theme')).toBe('light');
    act(() => api.pushSettings({ ...freshDefaults(), theme: 'system' }));
    expect(document.documentElement.hasAttribute('data-theme')).toBe(false);
  });
});

describe('kill confirmation policy', () => {
  it('asks unless the settings say otherwise; "my own" means the engine user', async () => {
    const api = createSettingsApi();
    api.saved = { ...freshDefaults(), skipConfirmForOwnProcesses: true };
    disconnect = connectSettings(api);
    await waitFor(() => expect(useSettingsStore.getState().currentUser).toBe('alice'));
    const off = followKillPolicy();
    const ask = (user: string) => {
      act(() => {
        const row = testRow(3000);
        if (row.process) row.process.user = user;
        useKillStore.getState().open(row);
      });
      const asked = useKillStore.getState().ask;
      act(() => useKillStore.getState().close());
      return asked;
    };
    try {
      expect(ask('alice')).toBe(false);
      expect(ask('root')).toBe(true);
      act(() => api.pushSettings({ ...freshDefaults(), confirmKill: true }));
      expect(ask('alice')).toBe(true);
    } finally {
      off();
    }
  });
});
